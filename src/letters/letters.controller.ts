import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createReadStream } from 'node:fs';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/auth.guard';
import { incidentId } from '../incidents/incidents.controller';
import { DOCUMENTS, LettersService } from './letters.service';

@ApiTags('letters')
@Controller('api')
export class LettersController {
  constructor(private readonly letters: LettersService) {}

  @Get('incidents/:id/notice-content')
  @ApiOperation({ summary: "What the incident's notices say (164.404(c) elements, OCR portal answers); no PHI" })
  content(@Param('id', incidentId) id: string) {
    return this.letters.content(id);
  }

  @Put('incidents/:id/notice-content')
  @Roles('privacy_officer')
  @ApiOperation({ summary: 'Replace the notice content; every bad field is named' })
  putContent(@Param('id', incidentId) id: string, @CurrentActor() actor: Actor, @Body() body: unknown) {
    return this.letters.putContent(id, actor, body);
  }

  @Get('incidents/:id/documents/:name')
  @Roles('privacy_officer', 'auditor')
  @ApiOperation({ summary: `One document: ${DOCUMENTS.join(', ')}; ?format=text|html|pdf (hhs-report: json|html). 422 lists missing required elements` })
  async document(@Param('id', incidentId) id: string, @Param('name') name: string, @Query() query: Record<string, unknown>, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    const doc = await this.letters.document(id, name, query, actor);
    res.setHeader('Content-Type', doc.contentType);
    res.setHeader('Content-Disposition', `inline; filename="${doc.filename}"`);
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(Buffer.isBuffer(doc.body) ? doc.body : Buffer.from(doc.body, 'utf8'));
  }

  @Get('reports/hhs-annual-log')
  @ApiOperation({ summary: 'The annual log of breaches under 500 discovered in ?year=YYYY, as CSV (164.408(c))' })
  async annualLog(@Query('year') year: unknown, @Res({ passthrough: true }) res: Response) {
    const csv = await this.letters.annualLog(year);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="hhs-annual-log-${String(year)}.csv"`);
    return csv;
  }

  @Get('incidents/:id/letter-batches')
  batches(@Param('id', incidentId) id: string) {
    return this.letters.batches(id);
  }

  @Post('incidents/:id/letter-batches')
  @HttpCode(202)
  @Roles('privacy_officer')
  @ApiOperation({ summary: 'Generate letters for everyone reachable not yet in a sent batch: PDFs + mailing manifest; 202, then poll for progress' })
  createBatch(@Param('id', incidentId) id: string, @CurrentActor() actor: Actor) {
    return this.letters.createBatch(id, actor);
  }

  @Get('incidents/:id/letter-batches/:batchId')
  @ApiOperation({ summary: 'A batch: progress (done of total), its files, letters, emails, pages' })
  batch(@Param('id', incidentId) id: string, @Param('batchId') batchId: string) {
    return this.letters.batch(id, batchId);
  }

  @Get('incidents/:id/letter-batches/:batchId/files/:name')
  @Roles('privacy_officer', 'auditor')
  @ApiOperation({ summary: 'Download one of the batch files (PDF or manifest.csv): PHI' })
  async file(@Param('id', incidentId) id: string, @Param('batchId') batchId: string, @Param('name') name: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    const path = await this.letters.batchFile(id, batchId, name, actor);
    res.setHeader('Content-Type', name.endsWith('.pdf') ? 'application/pdf' : 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(createReadStream(path));
  }

  @Post('incidents/:id/letter-batches/:batchId/sent')
  @HttpCode(200)
  @Roles('privacy_officer')
  @ApiOperation({ summary: 'The letters were mailed on {sentOn}: queue the emails, record the proof on the individuals obligation' })
  sent(@Param('id', incidentId) id: string, @Param('batchId') batchId: string, @CurrentActor() actor: Actor, @Body() body: unknown) {
    return this.letters.markSent(id, batchId, actor, body);
  }
}
