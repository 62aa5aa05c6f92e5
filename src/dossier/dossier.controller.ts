import { Controller, Get, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiDoc } from '../openapi/api-doc';
import { str } from '../openapi/json-schema';
import type { Response } from 'express';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/auth.guard';
import { incidentId } from '../incidents/incidents.controller';
import { DossierService } from './dossier.service';

@ApiTags('dossier')
@Controller('api/incidents/:id/dossier')
export class DossierController {
  constructor(private readonly dossier: DossierService) {}

  @Get()
  @Roles('privacy_officer', 'auditor')
  @ApiDoc({
    summary: 'The incident\'s dossier as a ZIP (dossier.pdf, audit-trail.jsonl, documents/, attachments/, manifest.json): holds PHI, audited; verify it with `breachflow dossier verify` (docs/dossier.md)',
    ok: { status: 200, description: 'The dossier', content: { 'application/zip': str({ format: 'binary' }) }, headers: { 'X-Dossier-Manifest-SHA256': 'The manifest\'s SHA-256: keep it apart from the ZIP' } },
  })
  async download(@Param('id', incidentId) id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const dir = await mkdtemp(join(tmpdir(), 'breachflow-dossier-'));
    const path = join(dir, 'dossier.zip');
    try {
      const done = await this.dossier.exportTo(id, actor, path);
      res.setHeader('Content-Type', 'application/zip');
      res.setHeader('Content-Disposition', `attachment; filename="${done.reference}-dossier.zip"`);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Dossier-Manifest-SHA256', done.manifestSha256);
      const stream = createReadStream(path);
      stream.on('close', () => void rm(dir, { recursive: true, force: true }));
      return new StreamableFile(stream);
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }
}
