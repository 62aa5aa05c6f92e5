import { Public } from '../auth/auth.guard';
import { Body, Controller, HttpCode, Post, UnprocessableEntityException } from '@nestjs/common';
import { NotificationPlan } from '../domain/rules/plan.types';
import { PlanService } from './plan.service';

@Public()
@Controller('api/plan')
export class PlanController {
  constructor(private readonly plans: PlanService) {}

  /** The notification plan for the posted facts: 200, or 422 naming every bad field. */
  @Post()
  @HttpCode(200)
  plan(@Body() body: unknown): NotificationPlan {
    const result = this.plans.plan(body);
    if (!result.ok) throw new UnprocessableEntityException({ errors: result.errors });
    return result.value;
  }
}
