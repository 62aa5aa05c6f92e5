import { ApiOperation } from '@nestjs/swagger';
import { JsonSchema } from './json-schema';

/** The 4xx/5xx answers an operation gives beyond those inferred from its shape (see document.ts). */
export type ExtraStatus = 404 | 409 | 410 | 413 | 422 | 503;

export interface OperationDoc {
  summary: string;
  description?: string;
  /** The request body: a named schema (JSON) with a real example, or other media types. */
  body?: { schema: string; example: unknown } | { content: Record<string, { schema: JsonSchema; example: unknown }> };
  /** The success answer: a named schema (JSON), or other media types. */
  ok: { status: 200 | 201 | 202; description: string; schema?: string; list?: boolean; content?: Record<string, JsonSchema>; headers?: Record<string, string> };
  errors?: ExtraStatus[];
  /** A 422 whose body carries more than the errors (e.g. a rejected import's summary): that schema too. */
  rejected?: string;
  query?: Record<string, { schema: JsonSchema; description: string; required?: boolean }>;
  headers?: Record<string, { schema: JsonSchema; description: string }>;
}

export interface DocumentedHandler {
  doc: OperationDoc;
  handler: object;
  controller: object;
}

/** Every documented operation, by the operationId Nest's swagger gives it (Controller_method). */
export const DOCUMENTED = new Map<string, DocumentedHandler>();

/**
 * Documents one operation in a line: its body, answers and parameters. Security, 401/403, the
 * 400/413 of a JSON body and the 404/422 of path parameters follow from the route itself when
 * the document is built (document.ts), so they cannot disagree with the guard.
 */
export function ApiDoc(doc: OperationDoc): MethodDecorator {
  return (target, key, descriptor) => {
    DOCUMENTED.set(`${target.constructor.name}_${String(key)}`, { doc, handler: descriptor.value as object, controller: target.constructor });
    ApiOperation({ summary: doc.summary, ...(doc.description ? { description: doc.description } : {}) })(target, key, descriptor);
  };
}
