import {
  ConflictException, ForbiddenException, Inject, Injectable, NotFoundException, PayloadTooLargeException, UnprocessableEntityException,
} from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { EntityManager } from 'typeorm';
import { appendAccessEvent } from '../audit/access-log';
import { appendIncidentNote, auditEntriesOf } from '../audit/audit-trail';
import { Actor, hasRole } from '../auth/actor';
import { Clock, CLOCK } from '../clock/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { ATTACHMENT_KIND_LABELS, AttachmentKind, RETENTION_YEARS } from '../domain/evidence/attachment-kinds';
import { IncidentsService } from '../incidents/incidents.service';
import { TransactionRunner } from '../persistence/transaction-runner';
import { PHI_CIPHER, PhiCipher } from '../roster/phi-cipher';
import { validateAttachmentMeta } from './attachment-requests';
import { AttachmentRepository, AttachmentRow } from './attachment.repository';
import { readSealed, TooLargeError, writeSealed } from './sealed-file';

export interface AttachmentView {
  id: string;
  number: number;
  kind: AttachmentKind;
  kindLabel: string;
  fileName: string;
  description: string;
  contentType: string;
  bytes: number;
  sha256: string;
  supersedes: string | null;
  supersededBy: string | null;
  actor: string;
  at: string;
}

interface SealedMeta {
  fileName: string;
  description: string;
  contentType: string;
}

const aadOf = (row: Pick<AttachmentRow, 'id' | 'incident_id'>) => `attachment:${row.incident_id}:${row.id}`;

/**
 * Evidence attached to an incident: streamed in, sealed on disk under a fresh data key (itself
 * sealed under the PHI key), its SHA-256 written into the incident's audit chain; read back only
 * through an audited download; never deleted, only superseded.
 */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly repo: AttachmentRepository,
    private readonly incidents: IncidentsService,
    @Inject(PHI_CIPHER) private readonly cipher: PhiCipher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async upload(incidentId: string, actor: Actor, headers: Record<string, string | string[] | undefined>, body: Readable): Promise<AttachmentView> {
    const meta = validateAttachmentMeta(headers);
    if (!meta.ok) throw new UnprocessableEntityException({ errors: meta.errors });
    await this.runner.read(async (m) => {
      await this.incidents.load(m, incidentId);
      await this.assertMayAttach(m, incidentId, actor);
      if (meta.value.supersedes) await this.mustBeCurrent(m, incidentId, meta.value.supersedes);
    });
    const id = randomUUID();
    const dir = join(this.config.attachmentsDir, incidentId);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const storage = join(incidentId, `${id}.sealed`);
    const path = join(this.config.attachmentsDir, storage);
    const dataKey = randomBytes(32);
    const aad = aadOf({ id, incident_id: incidentId });
    let written;
    try {
      written = await writeSealed(body, path, dataKey, aad, this.config.attachmentMaxBytes);
    } catch (err) {
      if (err instanceof TooLargeError) {
        throw new PayloadTooLargeException({ errors: [{ path: 'body', message: `the file is larger than the ${Math.round(err.limit / 1048576)} MB an attachment may be (ATTACHMENT_MAX_MB)` }] });
      }
      throw err;
    }
    const { fileName, description, contentType, kind, supersedes } = meta.value;
    try {
      return await this.runner.transaction(async (m) => {
        // The incident's row locked first (PostgreSQL): two uploads at once would both read the same
        // highest number, and the second insert break the (incident, number) key.
        await this.incidents.lock(m, incidentId);
        if (supersedes) await this.mustBeCurrent(m, incidentId, supersedes);
        const row: AttachmentRow = {
          id, incident_id: incidentId, number: await this.repo.nextNumber(m, incidentId), kind,
          bytes: written.bytes, sha256: written.sha256,
          sealed_meta: this.cipher.seal({ fileName, description, contentType } satisfies SealedMeta, aad),
          sealed_key: this.cipher.seal(dataKey.toString('base64'), aad),
          storage, supersedes, superseded_by: null, actor: actor.id, at: this.clock.now().toISOString(),
        };
        await this.repo.insert(m, row);
        if (supersedes && !(await this.repo.supersede(m, supersedes, id))) throw this.alreadySuperseded();
        await appendIncidentNote(m, {
          incidentId, type: 'evidence.attached', actor: actor.id, at: row.at,
          payload: { attachment: row.number, id, kind, bytes: row.bytes, sha256: row.sha256, supersedes },
        });
        return this.view(row);
      });
    } catch (err) {
      await rm(path, { force: true });
      throw err;
    }
  }

  async list(incidentId: string): Promise<AttachmentView[]> {
    return this.runner.read(async (m) => {
      await this.incidents.load(m, incidentId);
      return (await this.repo.list(m, incidentId)).map((r) => this.view(r));
    });
  }

  /** The plain file as a stream, after recording who read it (reading PHI is audited). */
  async open(incidentId: string, attachmentId: string, actor: Actor, purpose = 'download'): Promise<{ view: AttachmentView; stream: Readable }> {
    const row = await this.runner.transaction(async (m) => {
      const found = await this.repo.get(m, incidentId, attachmentId);
      if (!found) throw new NotFoundException({ errors: [{ path: 'attachmentId', message: 'no attachment with this id on this incident' }] });
      await appendAccessEvent(m, {
        type: 'attachment.downloaded', actor: actor.id, at: this.clock.now().toISOString(), subject: incidentId,
        detail: { attachment: found.number, id: found.id, purpose },
      });
      return found;
    });
    return { view: this.view(row), stream: await this.openRow(row) };
  }

  /** The rows of an incident with a way to read each, for the dossier (which audits the export itself). */
  async rowsForExport(incidentId: string): Promise<{ view: AttachmentView; read: () => Promise<Readable> }[]> {
    const rows = await this.runner.read((m) => this.repo.list(m, incidentId));
    return rows.map((r) => ({ view: this.view(r), read: () => this.openRow(r) }));
  }

  refuseDelete(): never {
    throw new ConflictException({
      errors: [{
        path: 'attachmentId',
        message: `attachments are kept for ${RETENTION_YEARS} years from the incident's close (45 CFR 164.530(j)(2)) and cannot be deleted; upload a corrected file with X-Supersedes naming this one`,
      }],
    });
  }

  private async openRow(row: AttachmentRow): Promise<Readable> {
    const aad = aadOf(row);
    const key = Buffer.from(this.cipher.open<string>(row.sealed_key, aad), 'base64');
    return readSealed(join(this.config.attachmentsDir, row.storage), key, aad);
  }

  private view(row: AttachmentRow): AttachmentView {
    const meta = this.cipher.open<SealedMeta>(row.sealed_meta, aadOf(row));
    return {
      id: row.id, number: row.number, kind: row.kind, kindLabel: ATTACHMENT_KIND_LABELS[row.kind], ...meta,
      bytes: row.bytes, sha256: row.sha256, supersedes: row.supersedes, supersededBy: row.superseded_by, actor: row.actor, at: row.at,
    };
  }

  /** A privacy officer attaches to any incident; an owner only to an incident they reported. */
  private async assertMayAttach(m: EntityManager, incidentId: string, actor: Actor): Promise<void> {
    if (hasRole(actor, 'privacy_officer') || actor.via === 'cli') return;
    if (hasRole(actor, 'owner')) {
      const [first] = await auditEntriesOf(m, incidentId);
      if (first?.actor === actor.id) return;
    }
    throw new ForbiddenException({ errors: [{ path: 'role', message: 'only the privacy officer, or the owner who reported this incident, may attach evidence to it' }] });
  }

  private async mustBeCurrent(m: EntityManager, incidentId: string, id: string): Promise<void> {
    const row = await this.repo.get(m, incidentId, id);
    if (!row) throw new UnprocessableEntityException({ errors: [{ path: 'X-Supersedes', message: 'no attachment with this id on this incident' }] });
    if (row.superseded_by) throw this.alreadySuperseded();
  }

  private alreadySuperseded(): ConflictException {
    return new ConflictException({ errors: [{ path: 'X-Supersedes', message: 'that attachment was already superseded; correct the newest version instead' }] });
  }
}
