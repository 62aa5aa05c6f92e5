import { Public } from '../auth/auth.guard';
import { Body, Controller, HttpCode, Post, UnprocessableEntityException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiDoc } from '../openapi/api-doc';
import { FACTS_EXAMPLE } from '../openapi/examples';
import { NotificationPlan } from '../domain/rules/plan.types';
import { PlanService } from './plan.service';

@ApiTags('plan')
@Public()
@Controller('api/plan')
export class PlanController {
  constructor(private readonly plans: PlanService) {}

  /** The notification plan for the posted facts: 200, or 422 naming every bad field. */
  @Post()
  @HttpCode(200)
  @ApiDoc({ summary: 'The notification plan for these facts: who must be told, by when, and why (each obligation with its rule)', body: { schema: 'Facts', example: FACTS_EXAMPLE }, ok: { status: 200, description: 'The plan', schema: 'NotificationPlan' } })
  plan(@Body() body: unknown): NotificationPlan {
    const result = this.plans.plan(body);
    if (!result.ok) throw new UnprocessableEntityException({ errors: result.errors });
    return result.value;
  }
}
