import { JsonSchema } from '../../src/openapi/json-schema';
import { Doc, resolve } from './openapi';

const FORMATS: Record<string, RegExp> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  email: /^[^\s@]+@[^\s@]+$/,
};

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/**
 * The problems of a value against a schema of the document (the OpenAPI 3.0 subset the API
 * uses: type, nullable, enum, format, pattern, bounds, properties, required, additionalProperties,
 * items, oneOf, allOf, $ref). Empty when it conforms.
 */
export function problems(doc: Doc, schema: JsonSchema, v: unknown, at = '$'): string[] {
  const s = schema.$ref ? resolve(doc, schema) : schema;
  if (v === null) return s.nullable || s.enum?.includes(null) || (!s.type && !s.allOf && !s.oneOf) ? [] : [`${at}: null is not allowed`];
  if (s.allOf) return s.allOf.flatMap((x) => problems(doc, x, v, at));
  if (s.oneOf) {
    const fits = s.oneOf.filter((x) => problems(doc, x, v, at).length === 0).length;
    return fits === 1 ? [] : [`${at}: matches ${fits} of the oneOf branches, not exactly 1`];
  }
  const t = typeOf(v);
  if (s.type && !(t === s.type || (s.type === 'number' && t === 'integer'))) return [`${at}: ${t}, not ${s.type}`];
  const out: string[] = [];
  if (s.enum && !s.enum.includes(v as string)) out.push(`${at}: ${JSON.stringify(v)} is not one of ${s.enum.join(', ')}`);
  if (typeof v === 'string') {
    if (s.format && FORMATS[s.format] && !FORMATS[s.format].test(v)) out.push(`${at}: not a ${s.format}`);
    if (s.pattern && !new RegExp(s.pattern).test(v)) out.push(`${at}: does not match ${s.pattern}`);
    if (s.minLength !== undefined && v.length < s.minLength) out.push(`${at}: shorter than ${s.minLength}`);
  }
  if (typeof v === 'number') {
    if (s.minimum !== undefined && v < s.minimum) out.push(`${at}: below ${s.minimum}`);
    if (s.maximum !== undefined && v > s.maximum) out.push(`${at}: above ${s.maximum}`);
  }
  if (Array.isArray(v)) {
    if (s.minItems !== undefined && v.length < s.minItems) out.push(`${at}: fewer than ${s.minItems} items`);
    if (s.items) v.forEach((x, i) => out.push(...problems(doc, s.items!, x, `${at}[${i}]`)));
  }
  if (t === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of s.required ?? []) if (!(k in o)) out.push(`${at}.${k}: missing`);
    for (const [k, x] of Object.entries(o)) {
      const p = s.properties?.[k];
      if (p) out.push(...problems(doc, p, x, `${at}.${k}`));
      else if (s.additionalProperties === false) out.push(`${at}.${k}: not in the schema`);
      else if (typeof s.additionalProperties === 'object') out.push(...problems(doc, s.additionalProperties, x, `${at}.${k}`));
    }
  }
  return out;
}

/** The answer's status must be one the operation declares, and its JSON body must fit that schema. */
export function answerProblems(doc: Doc, path: string, method: string, status: number, body: unknown, contentType: string | undefined): string[] {
  const declared = doc.paths[path]?.[method]?.responses[String(status)];
  if (!declared) return [`${method.toUpperCase()} ${path}: answered ${status}, which it does not declare`];
  if (!contentType?.startsWith('application/json')) return [];
  const schema = declared.content?.['application/json']?.schema;
  if (!schema) return [`${method.toUpperCase()} ${path}: answered ${status} with JSON, declared without it`];
  return problems(doc, schema, body).map((p) => `${method.toUpperCase()} ${path} ${status}: ${p}`);
}
