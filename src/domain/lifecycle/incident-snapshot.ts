import { initialTransition, SnapshotFrom, StateValue, transition } from 'xstate';
import { isObject } from '../validation';
import { EVENT_TYPES } from './incident-events';
import { IncidentMachine } from './incident.machine';
import { IncidentContext, IncidentEvent, IncidentEventType, IncidentInput, MACHINE_VERSION } from './incident.types';

/** Persisting and resuming the machine: plain JSON in, plain JSON out, checked on the way back. */

export type IncidentSnapshot = SnapshotFrom<IncidentMachine>;

export interface StoredSnapshot {
  machineVersion: number;
  value: StateValue;
  context: IncidentContext;
}

export class SnapshotError extends Error {}

export function startIncident(machine: IncidentMachine, input: IncidentInput): IncidentSnapshot {
  return initialTransition(machine, input)[0];
}

export function step(machine: IncidentMachine, snapshot: IncidentSnapshot, event: IncidentEvent): IncidentSnapshot {
  return transition(machine, snapshot, event)[0];
}

export function toStored(snapshot: IncidentSnapshot): StoredSnapshot {
  return { machineVersion: MACHINE_VERSION, value: snapshot.value, context: snapshot.context };
}

/** Restores a stored snapshot; refuses one from another machine version or of the wrong shape. */
export function fromStored(machine: IncidentMachine, stored: unknown): IncidentSnapshot {
  if (!isObject(stored) || !isObject(stored.context) || (typeof stored.value !== 'string' && !isObject(stored.value))) {
    throw new SnapshotError('stored incident snapshot is not of the expected shape');
  }
  if (stored.machineVersion !== MACHINE_VERSION) {
    throw new SnapshotError(`stored incident snapshot is machine version ${String(stored.machineVersion)}; this server runs ${MACHINE_VERSION}`);
  }
  return machine.resolveState({ value: stored.value as StateValue, context: stored.context as unknown as IncidentContext });
}

/** The context of a stored snapshot, for readers that need the facts and obligations but not the
 *  machine (the reminder sweeper, a settings change). */
export function storedContext(snapshotJson: string): IncidentContext {
  return (JSON.parse(snapshotJson) as StoredSnapshot).context;
}

/** The step a person would name: reported, triage, containment ... notification, closed. */
export function phaseOf(snapshot: IncidentSnapshot): string {
  const v = snapshot.value;
  if (typeof v === 'string') return v;
  const workflow = (v as Record<string, StateValue>).active;
  return isObject(workflow) && typeof workflow.workflow === 'string' ? workflow.workflow : 'active';
}

/** The event types the incident's current states have a transition for (guards aside); accepting
 *  the loaded rule pack only while the plan names another one. */
export function acceptedEvents(snapshot: IncidentSnapshot): IncidentEventType[] {
  const own = new Set(snapshot._nodes.flatMap((n) => n.ownEvents as string[]));
  const loaded = (snapshot.machine.root.meta as { rulePackVersion?: string } | undefined)?.rulePackVersion;
  if (snapshot.context.plan.rulePackVersion === loaded) own.delete('plan.packAccepted');
  return EVENT_TYPES.filter((t) => own.has(t));
}

export function isOpen(snapshot: IncidentSnapshot): boolean {
  return snapshot.hasTag('open');
}

/** A readable label and help text for each active step, from the machine's meta. */
export function stepHelp(snapshot: IncidentSnapshot): { label: string; help: string }[] {
  return Object.values(snapshot.getMeta())
    .filter((m): m is { label: string; help: string } => isObject(m) && typeof m.label === 'string')
    .map((m) => ({ label: m.label, help: m.help }));
}
