import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiDoc } from '../openapi/api-doc';
import { BATCH_SENT_EXAMPLE, NOTICE_CONTENT_EXAMPLE } from '../openapi/examples';
import { oneOf, str } from '../openapi/json-schema';
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
  @ApiDoc({ summary: "What the incident's notices say (164.404(c) elements, OCR portal answers); no PHI", ok: { status: 200, description: 'The notice content', schema: 'NoticeContent' } })
  content(@Param('id', incidentId) id: string) {
    return this.letters.content(id);
  }

  @Put('incidents/:id/notice-content')
  @Roles('privacy_officer')
  @ApiDoc({ summary: 'Save the notice content field by field: the fields given replace theirs, null clears one, the others are kept; every bad field is named', body: { schema: 'NoticeContent', example: NOTICE_CONTENT_EXAMPLE }, ok: { status: 200, description: 'The notice content', schema: 'NoticeContent' } })
  putContent(@Param('id', incidentId) id: string, @CurrentActor() actor: Actor, @Body() body: unknown) {
    return this.letters.putContent(id, actor, body);
  }

  @Get('incidents/:id/documents/:name')
  @Roles('privacy_officer', 'auditor')
  @ApiDoc({
    summary: `One document: ${DOCUMENTS.join(', ')}; 422 lists the required elements still missing`,
    ok: { status: 200, description: 'The document', content: { 'text/plain': str(), 'text/html': str(), 'application/pdf': str({ format: 'binary' }), 'application/json': { type: 'object', description: 'The HHS report' } } },
    query: {
      format: { schema: oneOf(['text', 'html', 'pdf', 'json']), description: 'text (default), html or pdf; the hhs-report: json (default) or html' },
      person: { schema: str({ pattern: '^\\d+$' }), description: 'individual-notice: the person number it is for (default: a sample)' },
      postingStart: { schema: str({ format: 'date' }), description: 'substitute-notice: the first day of the web posting (default: today)' },
      jurisdiction: { schema: str(), description: 'media-notice: the state it is for' },
    },
  })
  async document(@Param('id', incidentId) id: string, @Param('name') name: string, @Query() query: Record<string, unknown>, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    const doc = await this.letters.document(id, name, query, actor);
    res.setHeader('Content-Type', doc.contentType);
    res.setHeader('Content-Disposition', `inline; filename="${doc.filename}"`);
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(Buffer.isBuffer(doc.body) ? doc.body : Buffer.from(doc.body, 'utf8'));
  }

  @Get('reports/hhs-annual-log')
  @ApiDoc({
    summary: 'The annual log of breaches under 500 discovered in a year, as CSV (164.408(c))',
    ok: { status: 200, description: 'The log', content: { 'text/csv': str() } },
    query: { year: { schema: str({ pattern: '^\\d{4}$' }), description: 'The calendar year, YYYY', required: true } },
  })
  async annualLog(@Query('year') year: unknown, @Res({ passthrough: true }) res: Response) {
    const csv = await this.letters.annualLog(year);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="hhs-annual-log-${String(year)}.csv"`);
    return csv;
  }

  @Get('incidents/:id/letter-batches')
  @ApiDoc({ summary: "The incident's letter batches, newest first", ok: { status: 200, description: 'The batches', schema: 'LetterBatch', list: true } })
  batches(@Param('id', incidentId) id: string) {
    return this.letters.batches(id);
  }

  @Post('incidents/:id/letter-batches')
  @HttpCode(202)
  @Roles('privacy_officer')
  @ApiDoc({ summary: 'Generate letters for everyone reachable not yet in a sent batch: PDFs and a mailing manifest; then poll for progress', ok: { status: 202, description: 'The batch, started', schema: 'LetterBatch' }, errors: [409] })
  createBatch(@Param('id', incidentId) id: string, @CurrentActor() actor: Actor) {
    return this.letters.createBatch(id, actor);
  }

  @Get('incidents/:id/letter-batches/:batchId')
  @ApiDoc({ summary: 'A batch: progress (done of total), its files, letters, emails, pages', ok: { status: 200, description: 'The batch', schema: 'LetterBatch' } })
  batch(@Param('id', incidentId) id: string, @Param('batchId') batchId: string) {
    return this.letters.batch(id, batchId);
  }

  @Get('incidents/:id/letter-batches/:batchId/files/:name')
  @Roles('privacy_officer', 'auditor')
  @ApiDoc({ summary: 'Download one of the batch files (PDF or manifest.csv): PHI', ok: { status: 200, description: 'The file', content: { 'application/pdf': str({ format: 'binary' }), 'text/csv': str() } }, errors: [404, 410] })
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
  @ApiDoc({ summary: 'The letters were mailed on sentOn: queue the emails, record the proof on the individuals obligation', body: { schema: 'BatchSent', example: BATCH_SENT_EXAMPLE }, ok: { status: 200, description: 'The batch, sent', schema: 'LetterBatch' }, errors: [409] })
  sent(@Param('id', incidentId) id: string, @Param('batchId') batchId: string, @CurrentActor() actor: Actor, @Body() body: unknown) {
    return this.letters.markSent(id, batchId, actor, body);
  }
}
