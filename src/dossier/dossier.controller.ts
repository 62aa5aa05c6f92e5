import { Controller, Get, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
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
  @ApiProduces('application/zip')
  @ApiOperation({ summary: 'The incident\'s dossier as a ZIP (dossier.pdf, audit-trail.jsonl, documents/, attachments/, manifest.json): holds PHI, audited. X-Dossier-Manifest-SHA256 is the hash to keep apart; verify with `breachflow dossier verify`' })
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
