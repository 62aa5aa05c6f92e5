import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Entry, open as openZip, ZipFile } from 'yauzl';
import { DOSSIER_FORMAT, DossierManifest, MANIFEST_HASH_NAME, MANIFEST_NAME } from './dossier-archive';

export interface DossierProblem {
  /** The file (or `file#line` for one audit event) that does not match. */
  where: string;
  message: string;
}

export interface DossierReport {
  intact: boolean;
  reference: string | null;
  files: number;
  problems: DossierProblem[];
}

/** Checks the lines of a file the manifest vouches for (e.g. the audit trail's chain). */
export type ContentCheck = (path: string, content: Buffer) => DossierProblem[];

/** Files larger than this are hashed as streams but not handed to content checks. */
const MAX_CHECKED_BYTES = 256 * 1024 * 1024;

function openArchive(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    openZip(path, { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) reject(err ?? new Error('not a ZIP file'));
      else resolve(zip);
    });
  });
}

function entries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const all: Entry[] = [];
    zip.on('entry', (e: Entry) => {
      all.push(e);
      zip.readEntry();
    });
    zip.on('end', () => resolve(all));
    zip.on('error', reject);
    zip.readEntry();
  });
}

function readEntry(zip: ZipFile, entry: Entry, keep: boolean): Promise<{ sha256: string; bytes: number; content: Buffer | null }> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream?: Readable) => {
      if (err || !stream) {
        reject(err ?? new Error(`cannot read ${entry.fileName}`));
        return;
      }
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        bytes += chunk.length;
        if (keep) chunks.push(chunk);
      });
      stream.on('error', reject);
      stream.on('end', () => resolve({ sha256: hash.digest('hex'), bytes, content: keep ? Buffer.concat(chunks) : null }));
    });
  });
}

function parseManifest(text: string): DossierManifest | null {
  try {
    const m = JSON.parse(text) as DossierManifest;
    return m && m.format === DOSSIER_FORMAT && Array.isArray(m.files) ? m : null;
  } catch {
    return null;
  }
}

/**
 * Verifies a dossier ZIP offline, without the database (docs/dossier.md): the manifest against
 * `manifest.sha256` (and against an expected hash when the reader kept one apart), every file
 * against its size and SHA-256 in the manifest, no file missing or unlisted, then each content
 * check (the audit trail's chain). Reports every problem, first one first.
 */
export async function verifyDossier(path: string, checks: ContentCheck[] = [], expectedManifestSha256?: string): Promise<DossierReport> {
  const zip = await openArchive(path);
  try {
    const all = await entries(zip);
    const byName = new Map(all.map((e) => [e.fileName, e]));
    const problems: DossierProblem[] = [];
    const manifestEntry = byName.get(MANIFEST_NAME);
    const hashEntry = byName.get(MANIFEST_HASH_NAME);
    if (!manifestEntry || !hashEntry) {
      return { intact: false, reference: null, files: 0, problems: [{ where: MANIFEST_NAME, message: 'the ZIP holds no manifest.json and manifest.sha256: not a breachflow dossier' }] };
    }
    const read = await readEntry(zip, manifestEntry, true);
    const stated = (await readEntry(zip, hashEntry, true)).content?.toString('utf8').trim().split(/\s+/)[0] ?? '';
    if (stated !== read.sha256) {
      problems.push({ where: MANIFEST_NAME, message: `its SHA-256 is ${read.sha256}, but manifest.sha256 says ${stated}` });
    }
    if (expectedManifestSha256 && expectedManifestSha256.toLowerCase() !== read.sha256) {
      problems.push({ where: MANIFEST_NAME, message: `its SHA-256 is ${read.sha256}, not the ${expectedManifestSha256} kept apart at export` });
    }
    const manifest = parseManifest(read.content?.toString('utf8') ?? '');
    if (!manifest) {
      problems.push({ where: MANIFEST_NAME, message: `is not a ${DOSSIER_FORMAT} manifest` });
      return { intact: false, reference: null, files: 0, problems };
    }
    const listed = new Set(manifest.files.map((f) => f.path));
    for (const file of manifest.files) {
      const entry = byName.get(file.path);
      if (!entry) {
        problems.push({ where: file.path, message: 'is listed in the manifest but missing from the ZIP' });
        continue;
      }
      const keep = checks.length > 0 && file.bytes <= MAX_CHECKED_BYTES;
      const got = await readEntry(zip, entry, keep).catch((err: Error) => err);
      if (got instanceof Error) {
        problems.push({ where: file.path, message: `cannot be read as stored (${got.message}): it was changed after export` });
        continue;
      }
      // Content checks first: for the audit trail they name the event, which says more than the hash.
      if (got.content) for (const check of checks) problems.push(...check(file.path, got.content));
      if (got.bytes !== file.bytes || got.sha256 !== file.sha256) {
        problems.push({ where: file.path, message: `does not match the manifest (${got.bytes} bytes, SHA-256 ${got.sha256}; the manifest says ${file.bytes} bytes, ${file.sha256})` });
      }
    }
    for (const name of byName.keys()) {
      if (name !== MANIFEST_NAME && name !== MANIFEST_HASH_NAME && !listed.has(name) && !name.endsWith('/')) {
        problems.push({ where: name, message: 'is in the ZIP but not in the manifest' });
      }
    }
    return { intact: problems.length === 0, reference: manifest.incident.reference, files: manifest.files.length, problems };
  } finally {
    zip.close();
  }
}
