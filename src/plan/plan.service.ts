import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '../clock/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG, RULE_PACK } from '../config/config.module';
import { localDateIn } from '../domain/rules/calendar';
import { planFromInput } from '../domain/rules/plan';
import { NotificationPlan } from '../domain/rules/plan.types';
import { RulePack } from '../domain/rules/rule-pack';
import { Validated } from '../domain/validation';
import { boundsProblems } from '../incidents/incident-requests';

@Injectable()
export class PlanService {
  constructor(
    @Inject(RULE_PACK) private readonly pack: RulePack,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Plans as of today where the practice is: a discovery after today is refused (422). */
  plan(input: unknown): Validated<NotificationPlan> {
    const bounds = boundsProblems(input);
    if (bounds.length) return { ok: false, errors: bounds };
    return planFromInput(input, this.pack, localDateIn(this.clock.now(), this.config.timezone)!);
  }
}
