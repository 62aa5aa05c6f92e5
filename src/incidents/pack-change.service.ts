import { ConflictException, Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { Actor } from '../auth/actor';
import { RULE_PACK } from '../config/config.module';
import { packChange, PackChange } from '../domain/lifecycle/pack-change';
import { recordedNotices } from '../domain/lifecycle/recorded-notices';
import { IncidentFacts } from '../domain/rules/facts';
import { planNotification } from '../domain/rules/plan';
import { RulePack } from '../domain/rules/rule-pack';
import { Checker } from '../domain/validation';
import { IncidentView } from './incident-view';
import { IncidentsService } from './incidents.service';

/**
 * A new rule pack on open incidents: each one's diff of obligations, shown before anything moves,
 * and applied only when the privacy officer accepts it. Accepting re-plans through the one door
 * (a plan.packAccepted event naming the version, so the audit trail records who accepted which
 * pack and what changed); until then the machine refuses the events that would re-plan it.
 */
@Injectable()
export class PackChangeService {
  constructor(
    private readonly incidents: IncidentsService,
    @Inject(RULE_PACK) private readonly pack: RulePack,
  ) {}

  async preview(id: string): Promise<PackChange & { incidentId: string; reference: string; pending: boolean }> {
    const view = await this.incidents.get(id);
    return { incidentId: view.id, reference: view.reference, ...this.diff(view) };
  }

  /** Every open incident whose plan would change, or that names another pack version. */
  async pending(): Promise<(PackChange & { incidentId: string; reference: string })[]> {
    const out: (PackChange & { incidentId: string; reference: string })[] = [];
    for (let page = 1; ; page++) {
      const list = await this.incidents.list({ open: 'true', page: String(page), pageSize: '100' });
      for (const item of list.items) {
        const p = await this.preview(item.id);
        if (p.pending) out.push(p);
      }
      if (page * list.pageSize >= list.total) break;
    }
    return out;
  }

  async accept(id: string, actor: Actor, body: unknown): Promise<IncidentView> {
    const c = new Checker();
    const o = c.object(body ?? {}, '', ['rulePackVersion']);
    const expectedVersion = o ? c.string(o.rulePackVersion, 'rulePackVersion') : undefined;
    if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
    const view = await this.incidents.get(id);
    const change = this.diff(view);
    if (expectedVersion !== this.pack.version) {
      throw new UnprocessableEntityException({ errors: [{ path: 'rulePackVersion', message: `must name the pack this server runs (${this.pack.version}) to accept it` }] });
    }
    if (!change.pending) throw new ConflictException({ errors: [{ path: 'rulePackVersion', message: `the incident already follows rule pack ${this.pack.version}` }] });
    return this.incidents.dispatch(id, actor, {
      type: 'plan.packAccepted',
      rulePackVersion: this.pack.version,
      reason: `Re-plan with rule pack ${this.pack.version} (was ${change.from}), accepted: ${change.added.length} added, ${change.withdrawn.length} withdrawn, ${change.moved.length} moved`,
    });
  }

  private diff(view: IncidentView): PackChange & { pending: boolean } {
    const tracking = Object.fromEntries(view.obligations.map((o) => [o.key, { status: o.status, ...(o.proof ? { proof: o.proof } : {}) }]));
    const next = planNotification(view.facts as IncidentFacts, this.pack, recordedNotices(tracking));
    const change = packChange(view.plan, view.obligations, next);
    return { ...change, pending: change.from !== change.to || !change.obligationsUnchanged };
  }
}
