import { OpenAPIObject } from '@nestjs/swagger';
import { PUBLIC, ROLES_KEY, SESSION_COOKIE } from '../auth/auth.guard';
import { Role } from '../auth/actor';
import { DOCUMENTED, OperationDoc } from './api-doc';
import { COMPONENTS } from './components';
import { JsonSchema, ref, str, uuid } from './json-schema';

type Operation = Record<string, unknown> & { operationId?: string; parameters?: unknown[]; responses?: Record<string, unknown>; tags?: string[] };

const error = (description: string, path: string, message: string) =>
  ({ description, content: { 'application/json': { schema: ref('Errors'), example: { errors: [{ path, message }] } } } });

/** What each refusal means, with an example of its body (the `{ errors: [{ path, message }] }` shape). */
const STATUS: Record<number, () => unknown> = {
  400: () => error('The body is not valid JSON', '', 'the request body is not valid JSON'),
  401: () => error('Not logged in, or the API token is not valid', 'Authorization', 'log in, or send an API token as Authorization: Bearer ...'),
  403: () => error("The user's role may not do this, or a browser request lacks its CSRF token", 'role', 'Auditors cannot do this; it takes: privacy officer'),
  404: () => error('No such incident (or other resource)', 'id', 'no incident with this id'),
  409: () => error('Not allowed in the current state, or If-Match is stale', '', 'this event is not accepted in the current state'),
  410: () => error('The file is no longer kept (the retention setting removed it); its hash and the proof stay in the audit trail', 'name', 'this file is no longer kept: the practice\'s retention setting removed the batch\'s files after it was mailed on 2026-03-10'),
  413: () => error('The body is too large', '', 'the request body is too large'),
  422: () => error('A field, parameter or header is not valid; each problem names it', 'affected.total', 'must be a whole number, got "many"'),
  503: () => ({ description: 'The database does not answer', content: { 'application/json': { schema: ref('Health') } } }),
};

/** Path parameters by name: incidents by UUID or by reference. */
function pathParameter(name: string, path: string): { schema: JsonSchema; description: string } {
  if (name === 'id' && path.startsWith('/api/incidents')) {
    return {
      schema: { oneOf: [uuid(), str({ pattern: '^BF-\\d{4}-\\d{4,}$' })] },
      description: "The incident's id (a UUID) or its reference (BF-2026-0001)",
    };
  }
  if (name === 'name') return { schema: str(), description: 'The name of the document or file' };
  return { schema: uuid(), description: `The ${name === 'id' ? 'user' : name.replace(/Id$/, '')} id (a UUID)` };
}

function access(handler: object, controller: object): { isPublic: boolean; roles: Role[] | undefined } {
  const get = <T>(key: string): T | undefined => (Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller)) as T | undefined;
  return { isPublic: get<boolean>(PUBLIC) === true, roles: get<Role[]>(ROLES_KEY) };
}

function requestBody(doc: OperationDoc): unknown {
  if (!doc.body) return undefined;
  if ('schema' in doc.body) return { required: true, content: { 'application/json': { schema: ref(doc.body.schema), example: doc.body.example } } };
  return { required: true, content: doc.body.content };
}

function success(doc: OperationDoc): Record<string, unknown> {
  const { ok } = doc;
  const content = ok.content ? Object.fromEntries(Object.entries(ok.content).map(([type, schema]) => [type, { schema }])) : (ok.schema ? { 'application/json': { schema: ok.list ? { type: 'array', items: ref(ok.schema) } : ref(ok.schema) } } : undefined);
  const headers = ok.headers ? Object.fromEntries(Object.entries(ok.headers).map(([h, description]) => [h, { description, schema: str() }])) : undefined;
  return { [ok.status]: { description: ok.description, ...(content ? { content } : {}), ...(headers ? { headers } : {}) } };
}

/** One operation, completed from its ApiDoc and its route (guard metadata, path). */
function complete(path: string, method: string, op: Operation): void {
  const documented = op.operationId ? DOCUMENTED.get(op.operationId) : undefined;
  if (!documented) return; // left as Nest made it; test/openapi.spec.ts names it
  const { doc, handler, controller } = documented;
  const { isPublic, roles } = access(handler, controller);
  const changes = !['get', 'head', 'options'].includes(method);
  const pathNames = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  op.parameters = [
    ...pathNames.map((name) => ({ name, in: 'path', required: true, ...pathParameter(name, path) })),
    ...Object.entries(doc.query ?? {}).map(([name, q]) => ({ name, in: 'query', required: q.required ?? false, schema: q.schema, description: q.description })),
    ...Object.entries(doc.headers ?? {}).map(([name, h]) => ({ name, in: 'header', required: false, schema: h.schema, description: h.description })),
  ];
  const body = requestBody(doc);
  if (body) op.requestBody = body;
  else delete op.requestBody;
  const statuses = new Set<number>(doc.errors ?? []);
  if (!isPublic) statuses.add(401);
  if (!isPublic && (roles || changes)) statuses.add(403);
  if (pathNames.length) statuses.add(404).add(422);
  if (doc.query || doc.headers || body) statuses.add(422);
  // A JSON body goes through the JSON parser (1 MB): invalid JSON is a 400, a larger body a 413.
  if (doc.body && ('schema' in doc.body || 'application/json' in doc.body.content)) statuses.add(400).add(413);
  op.responses = { ...success(doc), ...Object.fromEntries([...statuses].sort().map((s) => [String(s), STATUS[s]()])) };
  if (doc.rejected) {
    op.responses['422'] = { description: 'Refused: the errors, with the rest of the answer', content: { 'application/json': { schema: { allOf: [ref('Errors'), ref(doc.rejected)] } } } };
  }
  op.security = isPublic ? [] : changes ? [{ bearer: [] }, { session: [], csrf: [] }] : [{ bearer: [] }, { session: [] }];
  if (roles) op['x-roles'] = roles;
  const who = isPublic ? 'No login needed.' : `Roles: ${roles ? roles.join(', ') : 'any logged-in user'}.`;
  op.description = doc.description ? `${doc.description}\n\n${who}` : who;
}

/** The served OpenAPI document: Nest's operations completed with schemas, answers and security. */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (op && typeof op === 'object' && 'responses' in op) complete(path, method, op as Operation);
    }
  }
  document.components = {
    ...document.components,
    schemas: { ...(document.components?.schemas ?? {}), ...(COMPONENTS as Record<string, object>) },
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'An API token (npx breachflow user token, or an admin: POST /api/users/{id}/tokens)' },
      session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The browser session set by logging in at /login' },
      csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: "With a session cookie, a changing request carries the session's CSRF token" },
    },
  };
  return document;
}
