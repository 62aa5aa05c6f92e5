import { ATTACHMENT_KINDS, AttachmentKind } from '../domain/evidence/attachment-kinds';
import { Checker, Validated } from '../domain/validation';

export interface AttachmentMeta {
  kind: AttachmentKind;
  description: string;
  fileName: string;
  contentType: string;
  supersedes: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

function text(c: Checker, v: unknown, path: string, max: number, required: boolean): string | undefined {
  if (v === undefined || v === '') return required ? c.fail(path, 'is required') : '';
  if (typeof v !== 'string') return c.fail(path, 'must be text');
  if (v.length > max) return c.fail(path, `is ${v.length} characters; at most ${max}`);
  if (CONTROL.test(v)) return c.fail(path, 'must not hold control characters (line breaks, tabs, NUL)');
  return v.trim();
}

/**
 * The metadata of an upload, from request headers (the body is the file itself, streamed):
 * `X-Attachment-Kind`, `X-Attachment-Description`, `X-File-Name` (both URI-encoded), the
 * `Content-Type`, and `X-Supersedes` (the attachment this one corrects).
 */
export function validateAttachmentMeta(h: Record<string, string | string[] | undefined>): Validated<AttachmentMeta> {
  const c = new Checker();
  const one = (name: string): unknown => {
    const v = h[name];
    if (Array.isArray(v)) return c.fail(name, 'give it once');
    if (v === undefined) return undefined;
    try {
      return decodeURIComponent(v);
    } catch {
      return c.fail(name, 'must be URI-encoded text (encodeURIComponent)');
    }
  };
  const kind = c.oneOf(one('x-attachment-kind'), 'X-Attachment-Kind', ATTACHMENT_KINDS);
  const description = text(c, one('x-attachment-description'), 'X-Attachment-Description', 2000, true);
  const fileName = text(c, one('x-file-name'), 'X-File-Name', 255, true);
  if (fileName && /[/\\]/.test(fileName)) c.fail('X-File-Name', 'must be a file name, not a path');
  const rawType = h['content-type'];
  const contentType = typeof rawType === 'string' ? rawType.split(';')[0].trim().toLowerCase() : 'application/octet-stream';
  if (!CONTENT_TYPE.test(contentType)) c.fail('Content-Type', 'must be a media type such as application/pdf');
  const supersedes = one('x-supersedes');
  if (supersedes !== undefined && (typeof supersedes !== 'string' || !UUID.test(supersedes))) {
    c.fail('X-Supersedes', 'must be the id (a UUID) of the attachment this one corrects');
  }
  if (!c.ok) return { ok: false, errors: c.errors };
  return {
    ok: true,
    value: { kind: kind!, description: description!, fileName: fileName!, contentType, supersedes: (supersedes as string | undefined) ?? null },
  };
}
