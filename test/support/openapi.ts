import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonSchema } from '../../src/openapi/json-schema';
import { ROOT } from './run-cli';

export type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
  servers?: { url: string }[];
  info: { license?: { name: string } };
};
export type Operation = {
  operationId: string;
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema; example?: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
  'x-roles'?: string[];
};

/** Where the tests write what they generate (ignored by git). */
export const OUT = join(ROOT, 'test-output', 'openapi');

/** A schema with its $ref (and a nullable wrapper's allOf) followed. */
export function resolve(doc: Doc, s: JsonSchema): JsonSchema {
  if (s.$ref) return resolve(doc, doc.components.schemas[s.$ref.replace('#/components/schemas/', '')]);
  if (s.allOf?.length === 1) return { ...resolve(doc, s.allOf[0]), nullable: s.nullable };
  return s;
}

/** Runs a tool from node_modules/.bin with no telemetry and no update check (nothing leaves the machine). */
export function runBin(bin: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', bin), args, {
    cwd: ROOT, encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_UPDATE_NOTIFIER: '1', CI: 'true' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function writeOut(name: string, text: string): string {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, name);
  writeFileSync(path, text);
  return path;
}
