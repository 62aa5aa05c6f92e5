import { BadRequestException } from '@nestjs/common';
import busboy from 'busboy';
import type { NextFunction, Request, Response } from 'express';
import { Readable } from 'node:stream';

/** A form's uploaded file, streamed: the roster import reads it row by row, never whole. */
export interface WithUpload extends Request {
  upload?: { field: string; file: Readable; fileName?: string; mimeType?: string };
}

/**
 * Parses a `multipart/form-data` form (a file upload from a page, no script needed) up to its file:
 * the fields before it (the CSRF token, a date) become the body, so the guard checks the token
 * before anything is read; the file is handed on as a stream. A form's fields must come before its
 * file input. A request refused before it reads the file has the rest of it discarded.
 */
export function multipartUpload(req: WithUpload, res: Response, next: NextFunction): void {
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) { next(); return; }
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { files: 1, fields: 20, fieldSize: 8 * 1024 } });
  } catch {
    next(new BadRequestException({ errors: [{ path: '', message: 'the form could not be read; reload the page and try again' }] }));
    return;
  }
  const fields: Record<string, string> = {};
  let handed = false;
  const handOn = () => {
    if (handed) return;
    handed = true;
    req.body = fields;
    next();
  };
  parser.on('field', (name, value) => { if (!handed) fields[name] = value; });
  parser.on('file', (field, file, info) => {
    if (handed) { file.resume(); return; }
    req.upload = { field, file, fileName: info.filename, mimeType: info.mimeType };
    handOn();
  });
  parser.on('close', handOn);
  parser.on('error', () => {
    if (!handed) { handed = true; next(new BadRequestException({ errors: [{ path: '', message: 'the upload was cut short or is not a form; try again' }] })); }
  });
  res.on('finish', () => req.upload?.file.resume());
  req.pipe(parser);
}
