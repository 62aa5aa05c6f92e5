import { Entry, open as openZip, ZipFile as ZipReader } from 'yauzl';

/** Every file of a ZIP by name, read whole (the dossier specs open what they exported). */
export function readZip(path: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    openZip(path, { lazyEntries: true }, (err, zip?: ZipReader) => {
      if (err || !zip) return reject(err);
      const files = new Map<string, Buffer>();
      zip.on('entry', (e: Entry) => zip.openReadStream(e, (e2, s) => {
        if (e2 || !s) return reject(e2);
        const chunks: Buffer[] = [];
        s.on('data', (c: Buffer) => chunks.push(c));
        s.on('end', () => { files.set(e.fileName, Buffer.concat(chunks)); zip.readEntry(); });
      }));
      zip.on('end', () => resolve(files));
      zip.readEntry();
    });
  });
}
