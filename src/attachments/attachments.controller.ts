import { Controller, Delete, Get, Param, ParseUUIDPipe, Post, Req, Res, StreamableFile, UnprocessableEntityException } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({ summary: 'The evidence attached to an incident (kind, description, size, SHA-256, who and when), oldest first' })
  list(@Param('id', incidentId) id: string): Promise<AttachmentView[]> {
    return this.attachments.list(id);
  }

  @Post()
  @Roles('privacy_officer', 'owner')
  @ApiConsumes('application/octet-stream', 'application/pdf', 'image/png', 'image/jpeg', 'text/plain')
  @ApiOperation({ summary: 'Attach a file (the body, streamed): headers X-Attachment-Kind, X-Attachment-Description, X-File-Name (URI-encoded), optional X-Supersedes. Sealed at rest; its SHA-256 goes into the audit chain. 413 over ATTACHMENT_MAX_MB' })
  upload(@Param('id', incidentId) id: string, @CurrentActor() actor: Actor, @Req() req: Request): Promise<AttachmentView> {
    return this.attachments.upload(id, actor, req.headers, fileBody(req));
  }

  @Get(':attachmentId/file')
  @Roles('privacy_officer', 'auditor')
  @ApiOperation({ summary: 'Download an attachment (may hold PHI): the read is recorded in the audit trail' })
  async file(@Param('id', incidentId) id: string, @Param('attachmentId', attachmentId) att: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    const { view, stream } = await this.attachments.open(id, att, actor);
    res.setHeader('Content-Type', view.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="attachment-${view.number}"; filename*=UTF-8''${encodeURIComponent(view.fileName)}`);
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(stream);
  }

  @Delete(':attachmentId')
  @Roles('privacy_officer')
  @ApiOperation({ summary: 'Refused: attachments are kept six years (45 CFR 164.530(j)); supersede one instead. Always 409' })
  remove(@Param('id', incidentId) _id: string, @Param('attachmentId', attachmentId) _att: string): never {
    return this.attachments.refuseDelete();
  }
}
