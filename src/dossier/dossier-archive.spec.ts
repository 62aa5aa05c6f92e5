import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DossierArchive } from './dossier-archive';
import { verifyDossier } from './dossier-verify';

const dir = mkdtempSync(join(tmpdir(), 'bf-dossier-'));
const meta = {
  incident: { id: '00000000-0000-4000-8000-000000000001', reference: 'BF-2026-0001' },
  exportedAt: '2026-12-01T10:00:00.000Z',
  breachflowVersion: '0.1.0',
  rulePackVersion: '2026.12.0',
  summary: { events: 2 },
};

async function build(name: string, attachment: Buffer): Promise<string> {
  const path = join(dir, name);
  const zip = new DossierArchive(path);
  await zip.add('dossier.txt', 'the story');
  await zip.add('attachments/forensic-report.bin', Readable.from([attachment.subarray(0, 1000), attachment.subarray(1000)]));
  await zip.finish(meta);
  return path;
}

describe('dossier archive', () => {
  const attachment = randomBytes(300_000);

  it('writes an owner-only ZIP whose manifest lists every file with its size and SHA-256', async () => {
    const path = await build('ok.zip', attachment);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const report = await verifyDossier(path);
    expect(report).toEqual({ intact: true, reference: 'BF-2026-0001', files: 2, problems: [] });
  });

  it('names a file whose bytes were changed inside the ZIP', async () => {
    const path = await build('tampered.zip', attachment);
    const bytes = readFileSync(path);
    // random bytes do not compress: the attachment is stored as is, so its bytes are findable.
    const at = bytes.indexOf(attachment.subarray(5000, 5032));
    expect(at).toBeGreaterThan(0);
    bytes[at] ^= 0xff;
    writeFileSync(path, bytes);
    const report = await verifyDossier(path);
    expect(report.intact).toBe(false);
    expect(report.problems[0].where).toBe('attachments/forensic-report.bin');
  });

  it('refuses a manifest that does not match the hash kept apart', async () => {
    const path = await build('apart.zip', attachment);
    const report = await verifyDossier(path, [], 'ab'.repeat(32));
    expect(report.problems).toEqual([expect.objectContaining({ where: 'manifest.json', message: expect.stringContaining('kept apart') })]);
  });

  it('hands listed files to content checks', async () => {
    const path = await build('checked.zip', attachment);
    const seen: string[] = [];
    const report = await verifyDossier(path, [(p, content) => {
      seen.push(`${p}:${content.length}`);
      return p === 'dossier.txt' ? [{ where: `${p}#1`, message: 'broken link' }] : [];
    }]);
    expect(seen).toEqual(['dossier.txt:9', 'attachments/forensic-report.bin:300000']);
    expect(report.problems).toEqual([{ where: 'dossier.txt#1', message: 'broken link' }]);
  });

  it('refuses unsafe entry names', async () => {
    const zip = new DossierArchive(join(dir, 'unsafe.zip'));
    await expect(zip.add('../etc/passwd', 'x')).rejects.toThrow(/not a path/);
    await expect(zip.add('manifest.json', 'x')).rejects.toThrow(/not a path/);
    await zip.finish(meta);
  });
});
