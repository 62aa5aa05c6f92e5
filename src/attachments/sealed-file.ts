import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** `BFA1` + 12-byte IV, then the AES-256-GCM ciphertext, then its 16-byte tag. */
const MAGIC = Buffer.from('BFA1');
const HEADER = MAGIC.length + 12;
const TAG = 16;

export class TooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`larger than ${limit} bytes`);
  }
}

export interface SealedWrite {
  bytes: number;
  /** SHA-256 of the plain content, as the practice would compute it on the original file. */
  sha256: string;
}

/**
 * Streams `input` into `path` sealed with AES-256-GCM under `key` (a per-file data key), hashing
 * the plain bytes on the way and stopping at `limit` bytes. The file is created owner-only; on
 * any failure it is removed, so a half-written attachment never stays behind.
 */
export async function writeSealed(input: Readable, path: string, key: Buffer, aad: string, limit: number): Promise<SealedWrite> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      bytes += chunk.length;
      if (bytes > limit) {
        callback(new TooLargeError(limit));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  const out = createWriteStream(path, { mode: 0o600, flags: 'wx' });
  try {
    out.write(Buffer.concat([MAGIC, iv]));
    await pipeline(input, meter, cipher, out, { end: false });
    await new Promise<void>((resolve, reject) => out.end(cipher.getAuthTag(), (err?: Error | null) => (err ? reject(err) : resolve())));
  } catch (err) {
    out.destroy();
    await rm(path, { force: true });
    throw err;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/**
 * The plain content of a sealed file as a stream. GCM authenticates at the end: a file changed on
 * disk makes the stream fail with an error at its last chunk, never pass silently.
 */
export async function readSealed(path: string, key: Buffer, aad: string): Promise<Readable> {
  const handle = await open(path, 'r');
  let size: number;
  const head = Buffer.alloc(HEADER);
  const tag = Buffer.alloc(TAG);
  try {
    size = (await handle.stat()).size;
    if (size < HEADER + TAG) throw new Error('not a sealed attachment (too short)');
    await handle.read(head, 0, HEADER, 0);
    await handle.read(tag, 0, TAG, size - TAG);
  } finally {
    await handle.close();
  }
  if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a sealed attachment');
  const decipher = createDecipheriv('aes-256-gcm', key, head.subarray(MAGIC.length));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(tag);
  if (size === HEADER + TAG) {
    return Readable.from((function* () { yield decipher.final(); })());
  }
  const source = createReadStream(path, { start: HEADER, end: size - TAG - 1 });
  source.on('error', (err) => decipher.destroy(err));
  return source.pipe(decipher);
}
