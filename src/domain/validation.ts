/**
 * A small, dependency-free validator that names every problem by its field path
 * (`affected.byJurisdiction.XX: unknown jurisdiction`). Used for incident facts, the state rule
 * pack and the configuration, so every bad input in the product reads the same way.
 */

export interface FieldError {
  path: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export type JsonObject = { [key: string]: unknown };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;

/** An email address as the product accepts one (254 characters at most, one @, a dot in the domain). */
export function isEmail(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 254 && EMAIL.test(v);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}...` : v}"`;
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/** Collects errors while walking a value; every check returns the value or undefined. */
export class Checker {
  readonly errors: FieldError[] = [];

  fail(path: string, message: string): undefined {
    this.errors.push({ path, message });
    return undefined;
  }

  object(v: unknown, path: string, known?: readonly string[]): JsonObject | undefined {
    if (!isObject(v)) return this.fail(path, `must be an object, got ${describe(v)}`);
    if (known) {
      for (const key of Object.keys(v)) {
        if (!known.includes(key)) this.fail(join(path, key), `unknown field (expected one of: ${known.join(', ')})`);
      }
    }
    return v;
  }

  boolean(v: unknown, path: string): boolean | undefined {
    return typeof v === 'boolean' ? v : this.fail(path, `must be true or false, got ${describe(v)}`);
  }

  string(v: unknown, path: string): string | undefined {
    return typeof v === 'string' && v.trim() !== '' ? v : this.fail(path, `must be a non-empty string, got ${describe(v)}`);
  }

  integer(v: unknown, path: string, min: number): number | undefined {
    if (typeof v !== 'number' || !Number.isInteger(v)) return this.fail(path, `must be a whole number, got ${describe(v)}`);
    if (v < min) return this.fail(path, `must be ${min} or more, got ${v}`);
    if (v > Number.MAX_SAFE_INTEGER) return this.fail(path, `is too large`);
    return v;
  }

  oneOf<T extends string>(v: unknown, path: string, allowed: readonly T[], what = 'one of'): T | undefined {
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    return this.fail(path, `${what === 'one of' ? 'must be one of' : what}: ${allowed.join(', ')}; got ${describe(v)}`);
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (!path) return key;
  return path.endsWith(':') ? `${path} ${key}` : `${path}.${key}`;
}

export function formatErrors(errors: FieldError[]): string[] {
  return errors.map((e) => `${e.path || '(input)'}: ${e.message}`);
}
