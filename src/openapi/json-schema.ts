/**
 * A small typed subset of JSON Schema (OpenAPI 3.0 dialect) and builders for it, so the API's
 * schemas read as one line per field.
 */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  $ref?: string;
  format?: string;
  pattern?: string;
  enum?: readonly (string | number | boolean | null)[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  minProperties?: number;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  description?: string;
  example?: unknown;
  default?: unknown;
  readOnly?: boolean;
}

type Extra = Omit<JsonSchema, 'type'>;

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
export const str = (extra: Extra = {}): JsonSchema => ({ type: 'string', ...extra });
/** A non-empty string, as Checker.string accepts. */
export const text = (description?: string, maxLength?: number): JsonSchema =>
  ({ type: 'string', minLength: 1, ...(maxLength ? { maxLength } : {}), ...(description ? { description } : {}) });
export const date = (description?: string): JsonSchema => ({ type: 'string', format: 'date', ...(description ? { description } : {}) });
export const dateTime = (description?: string): JsonSchema => ({ type: 'string', format: 'date-time', ...(description ? { description } : {}) });
export const uuid = (description?: string): JsonSchema => ({ type: 'string', format: 'uuid', ...(description ? { description } : {}) });
export const int = (minimum?: number, extra: Extra = {}): JsonSchema => ({ type: 'integer', ...(minimum !== undefined ? { minimum } : {}), ...extra });
export const num = (extra: Extra = {}): JsonSchema => ({ type: 'number', ...extra });
export const bool = (description?: string): JsonSchema => ({ type: 'boolean', ...(description ? { description } : {}) });
export const oneOf = (values: readonly string[], description?: string): JsonSchema => ({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
export const arr = (items: JsonSchema, extra: Extra = {}): JsonSchema => ({ type: 'array', items, ...extra });
export const nullable = (s: JsonSchema): JsonSchema => (s.$ref ? { allOf: [s], nullable: true } : { ...s, nullable: true });
/** Any JSON value the server passes through as it stored it. */
export const anyValue = (description: string): JsonSchema => ({ description });

/**
 * An object with exactly these fields (unknown ones are refused, as Checker.object does); names
 * ending in `?` are optional.
 */
export function obj(fields: Record<string, JsonSchema>, extra: Extra = {}): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, schema] of Object.entries(fields)) {
    const optional = name.endsWith('?');
    const key = optional ? name.slice(0, -1) : name;
    properties[key] = schema;
    if (!optional) required.push(key);
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false, ...extra };
}

/** A map from keys to values of one schema (e.g. residents per jurisdiction). */
export const map = (values: JsonSchema, description?: string): JsonSchema =>
  ({ type: 'object', additionalProperties: values, ...(description ? { description } : {}) });
