import { createHash } from 'node:crypto';
import { createWriteStream, WriteStream } from 'node:fs';
import { once } from 'node:events';
import { Readable, Transform } from 'node:stream';
import { ZipFile } from 'yazl';

/** The manifest's format name: a verifier refuses a dossier of another format. */
export const DOSSIER_FORMAT = 'breachflow-dossier/1';
export const MANIFEST_NAME = 'manifest.json';
/** `sha256sum -c manifest.sha256` checks the manifest with any SHA-256 tool. */
export const MANIFEST_HASH_NAME = 'manifest.sha256';

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface DossierManifest {
  format: typeof DOSSIER_FORMAT;
  incident: { id: string; reference: string };
  exportedAt: string;
  breachflowVersion: string;
  rulePackVersion: string;
  /** Every file of the ZIP but the manifest and its hash, in the order written. */
  files: ManifestFile[];
  /** Anything the exporter wants a reader to know (the chain's head, counts), never PHI. */
  summary: Record<string, unknown>;
}

const SAFE_PATH = /^(?!\/)(?!.*\.\.)[A-Za-z0-9._\-/ ]{1,200}$/;

/**
 * Writes a dossier ZIP as a stream, one entry after another, hashing each file as it goes, and
 * ends with `manifest.json` (every file's size and SHA-256) and `manifest.sha256`. The file is
 * created owner-only (0600): a dossier holds PHI in its attachments.
 */
export class DossierArchive {
  private readonly zip = new ZipFile();
  private readonly out: WriteStream;
  private readonly done: Promise<void>;
  private readonly files: ManifestFile[] = [];

  constructor(readonly path: string) {
    this.out = createWriteStream(path, { mode: 0o600, flags: 'wx' });
    this.done = new Promise((resolve, reject) => {
      this.out.on('close', resolve);
      this.out.on('error', reject);
      this.zip.outputStream.on('error', reject);
    });
    this.zip.outputStream.pipe(this.out);
  }

  /** Adds one file from a buffer or a stream; resolves once it is hashed and written. */
  async add(name: string, content: Buffer | string | Readable): Promise<ManifestFile> {
    if (!SAFE_PATH.test(name) || name === MANIFEST_NAME || name === MANIFEST_HASH_NAME) {
      throw new Error(`not a path a dossier may hold: ${JSON.stringify(name)}`);
    }
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, callback) {
        hash.update(chunk);
        bytes += chunk.length;
        callback(null, chunk);
      },
    });
    const source = content instanceof Readable ? content : Readable.from([Buffer.from(content)]);
    const ended = once(meter, 'end');
    this.zip.addReadStream(source.pipe(meter), name, { mode: 0o100600 });
    await ended;
    const file = { path: name, bytes, sha256: hash.digest('hex') };
    this.files.push(file);
    return file;
  }

  /** Writes the manifest and its hash and closes the ZIP; returns the manifest's SHA-256. */
  async finish(meta: Omit<DossierManifest, 'format' | 'files'>): Promise<{ manifest: DossierManifest; manifestSha256: string }> {
    const manifest: DossierManifest = { format: DOSSIER_FORMAT, ...meta, files: this.files };
    const text = `${JSON.stringify(manifest, null, 2)}\n`;
    const manifestSha256 = createHash('sha256').update(text).digest('hex');
    this.zip.addBuffer(Buffer.from(text), MANIFEST_NAME, { mode: 0o100600 });
    this.zip.addBuffer(Buffer.from(`${manifestSha256}  ${MANIFEST_NAME}\n`), MANIFEST_HASH_NAME, { mode: 0o100600 });
    this.zip.end();
    await this.done;
    return { manifest, manifestSha256 };
  }
}
