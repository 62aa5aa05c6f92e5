import { AccessEventType } from './access-log';

/**
 * The audit page's and the CSV export's three kinds: `changes` (what happened to incidents: their
 * own chained trail), `access` (who logged in, read or exported PHI) and `admin` (users, roles,
 * tokens, passwords, settings, the PHI key).
 */
export const AUDIT_KINDS = ['changes', 'access', 'admin'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export const AUDIT_KIND_LABELS: Record<AuditKind, string> = { changes: 'Changes to incidents', access: 'Logins, reads and exports of PHI', admin: 'Users, roles, tokens and settings' };

const ADMIN_TYPES: ReadonlySet<AccessEventType> = new Set<AccessEventType>([
  'password.changed', 'user.created', 'user.disabled', 'user.rolesChanged', 'token.created', 'token.revoked', 'settings.updated', 'phi.rekeyed',
]);

/** The kind of an access event (an incident event is always `changes`). */
export function accessKindOf(type: AccessEventType): Exclude<AuditKind, 'changes'> {
  return ADMIN_TYPES.has(type) ? 'admin' : 'access';
}
