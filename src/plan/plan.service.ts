import { Inject, Injectable } from '@nestjs/common';
import { RULE_PACK } from '../config/config.module';
import { planFromInput } from '../domain/rules/plan';
import { NotificationPlan } from '../domain/rules/plan.types';
import { RulePack } from '../domain/rules/rule-pack';
import { Validated } from '../domain/validation';
import { boundsProblems } from '../incidents/incident-requests';

@Injectable()
export class PlanService {
  constructor(@Inject(RULE_PACK) private readonly pack: RulePack) {}

  plan(input: unknown): Validated<NotificationPlan> {
    const bounds = boundsProblems(input);
    if (bounds.length) return { ok: false, errors: bounds };
    return planFromInput(input, this.pack);
  }
}
