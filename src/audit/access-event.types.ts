/**
 * The practice-wide trail's event types and shapes, in a file of their own so that the access log
 * (the logic) and its repository (the SQL) both read them without importing each other.
 */

export const ACCESS_EVENT_TYPES = [
  'login.succeeded', 'login.failed', 'password.changed',
  'user.created', 'user.disabled', 'user.rolesChanged', 'token.created', 'token.revoked', 'settings.updated',
  'roster.personRead', 'letters.fileDownloaded', 'document.exported', 'phi.rekeyed',
  'attachment.downloaded', 'dossier.exported', 'audit.exported',
] as const;
export type AccessEventType = (typeof ACCESS_EVENT_TYPES)[number];

export interface AccessEventInput {
  type: AccessEventType;
  actor: string;
  at: string;
  /** What was touched: a user id, a token id, an incident id, a batch id (never PHI). */
  subject?: string | null;
  detail?: Record<string, unknown>;
}

export interface AccessEvent extends Required<AccessEventInput> {
  seq: number;
  prevHash: string;
  hash: string;
}
