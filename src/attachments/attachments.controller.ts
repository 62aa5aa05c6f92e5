import { Controller, Delete, Get, Param, ParseUUIDPipe, Post, Req, Res, StreamableFile, UnprocessableEntityException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiDoc } from '../openapi/api-doc';
import { oneOf, str, uuid } from '../openapi/json-schema';
import { ATTACHMENT_KINDS } from '../domain/evidence/attachment-kinds';
import type { Request, Response } from 'express';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/auth.guard';
import { incidentId } from '../incidents/incidents.controller';
import { AttachmentsService, AttachmentView } from './attachments.service';

const attachmentId = new ParseUUIDPipe({
  version: '4',
  exceptionFactory: () => new UnprocessableEntityException({ errors: [{ path: 'attachmentId', message: 'must be an attachment id (a UUID)' }] }),
});

/** The file's own bytes are the body: a parsed form or JSON body would have been consumed already. */
function fileBody(req: Request): Request {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json' || type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    throw new UnprocessableEntityException({ errors: [{ path: 'Content-Type', message: 'send the file itself as the body with its own media type (e.g. application/pdf), or application/octet-stream' }] });
  }
  return req;
}

@ApiTags('attachments')
@Controller('api/incidents/:id/attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Get()
  @ApiDoc({ summary: 'The evidence attached to an incident (kind, description, size, SHA-256, who and when), oldest first', ok: { status: 200, description: 'The attachments', schema: 'Attachment', list: true } })
  list(@Param('id', incidentId) id: string): Promise<AttachmentView[]> {
    return this.attachments.list(id);
  }

  @Post()
  @Roles('privacy_officer', 'owner')
  @ApiDoc({
    summary: 'Attach a file (the body, streamed). Sealed at rest; its SHA-256 goes into the audit chain; 413 over ATTACHMENT_MAX_MB; an owner may attach to an incident they reported',
    body: { content: { 'application/octet-stream': { schema: str({ format: 'binary', description: 'The file itself, with its own media type (application/pdf, image/png ...)' }), example: '%PDF-1.4 ...' } } },
    headers: {
      'X-Attachment-Kind': { schema: oneOf(ATTACHMENT_KINDS), description: 'What the file is' },
      'X-Attachment-Description': { schema: str({ maxLength: 6000 }), description: 'What it shows (URI-encoded; may name a patient: sealed)' },
      'X-File-Name': { schema: str({ maxLength: 800 }), description: 'The file name (URI-encoded)' },
      'X-Supersedes': { schema: uuid(), description: 'The attachment this one corrects' },
    },
    ok: { status: 201, description: 'The attachment', schema: 'Attachment' },
    errors: [409, 413],
  })
  upload(@Param('id', incidentId) id: string, @CurrentActor() actor: Actor, @Req() req: Request): Promise<AttachmentView> {
    return this.attachments.upload(id, actor, req.headers, fileBody(req));
  }

  @Get(':attachmentId/file')
  @Roles('privacy_officer', 'auditor')
  @ApiDoc({ summary: 'Download an attachment (may hold PHI): the read is recorded in the audit trail', ok: { status: 200, description: 'The file, as uploaded', content: { 'application/octet-stream': str({ format: 'binary' }) } }, errors: [404] })
  async file(@Param('id', incidentId) id: string, @Param('attachmentId', attachmentId) att: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    const { view, stream } = await this.attachments.open(id, att, actor);
    res.setHeader('Content-Type', view.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="attachment-${view.number}"; filename*=UTF-8''${encodeURIComponent(view.fileName)}`);
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(stream);
  }

  @Delete(':attachmentId')
  @Roles('privacy_officer')
  @ApiDoc({ summary: 'Refused: attachments are kept six years (45 CFR 164.530(j)); supersede one instead. Always 409', ok: { status: 200, description: 'Never given: the answer is always 409', schema: 'Attachment' }, errors: [409] })
  remove(@Param('id', incidentId) _id: string, @Param('attachmentId', attachmentId) _att: string): never {
    return this.attachments.refuseDelete();
  }
}
