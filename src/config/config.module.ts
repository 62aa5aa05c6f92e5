import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, CLOCK } from '../clock/clock';
import { RulePack } from '../domain/rules/rule-pack';
import { AppConfig } from './config';

export const APP_CONFIG = Symbol('APP_CONFIG');
export const RULE_PACK = Symbol('RULE_PACK');

/** Configuration, the rule pack and the clock: read and validated once before Nest starts. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, rulePack: RulePack, clock: Clock): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: RULE_PACK, useValue: rulePack },
        { provide: CLOCK, useValue: clock },
      ],
      exports: [APP_CONFIG, RULE_PACK, CLOCK],
    };
  }
}
