/**
 * The state-law rule pack (config/state-rules.json): its types and its validation live under
 * ./state/; this module is the door the rest of the code imports them through.
 */
export * from './state/pack-types';
export { validateRulePack } from './state/validate-pack';
