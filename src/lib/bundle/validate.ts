/**
 * A small validator for the subset of JSON Schema (draft 2020-12) that docs/bundle.schema.json
 * uses, so that the app, the viewer and the CLI check bundles against the published schema
 * itself without a new dependency. Supported keywords are listed in SUPPORTED_KEYWORDS; a test
 * fails if the schema file uses any other, so the subset cannot silently fall behind.
 */
import bundleSchemaJson from '../../../docs/bundle.schema.json';
import { type AppError, type Result, ok, fail } from '../errors.ts';
import type { Bundle } from './schema.ts';

export type JsonSchema = boolean | { [keyword: string]: unknown };

/** Keywords this validator checks, plus annotations it knowingly ignores. */
export const SUPPORTED_KEYWORDS = [
  'type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'items', 'minItems',
  'minimum', 'maximum', 'minLength', 'pattern', 'anyOf', 'allOf', '$ref', '$defs',
  // annotations
  '$schema', '$id', 'title', 'description', 'format',
] as const;

export const BUNDLE_JSON_SCHEMA: JsonSchema = bundleSchemaJson as JsonSchema;

export interface SchemaIssue {
  /** JSON Pointer to the offending value, '' for the root. */
  path: string;
  message: string;
}

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v;

const matchesType = (v: unknown, t: string): boolean => {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
};

const pointer = (path: string, key: string | number) => `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

function resolveRef(root: JsonSchema, ref: string): JsonSchema {
  if (!ref.startsWith('#')) throw new Error(`unsupported $ref: ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`unresolved $ref: ${ref}`);
  }
  return node as JsonSchema;
}

/** Every way `value` breaks `schema` (empty when it is valid); at most `limit` issues. */
export function schemaIssues(value: unknown, schema: JsonSchema, root: JsonSchema = schema, limit = 20): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const check = (v: unknown, s: JsonSchema, path: string): void => {
    if (issues.length >= limit) return;
    if (s === true) return;
    if (s === false) { issues.push({ path, message: 'no value is allowed here' }); return; }
    if (typeof s.$ref === 'string') check(v, resolveRef(root, s.$ref), path);
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => matchesType(v, t))) {
        issues.push({ path, message: `expected ${types.join(' or ')}, found ${typeOf(v)}` });
        return;
      }
    }
    if (s.const !== undefined && JSON.stringify(v) !== JSON.stringify(s.const)) issues.push({ path, message: `expected ${JSON.stringify(s.const)}` });
    if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
      issues.push({ path, message: `expected one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}, found ${JSON.stringify(v)}` });
    }
    if (typeof v === 'number') {
      if (typeof s.minimum === 'number' && v < s.minimum) issues.push({ path, message: `${v} is below the minimum ${s.minimum}` });
      if (typeof s.maximum === 'number' && v > s.maximum) issues.push({ path, message: `${v} is above the maximum ${s.maximum}` });
    }
    if (typeof v === 'string') {
      if (typeof s.minLength === 'number' && v.length < s.minLength) issues.push({ path, message: `shorter than ${s.minLength} characters` });
      if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v)) issues.push({ path, message: `does not match ${s.pattern}` });
    }
    if (Array.isArray(v)) {
      if (typeof s.minItems === 'number' && v.length < s.minItems) issues.push({ path, message: `fewer than ${s.minItems} items` });
      if (s.items !== undefined) v.forEach((item, i) => check(item, s.items as JsonSchema, pointer(path, i)));
    }
    if (typeOf(v) === 'object') {
      const obj = v as Record<string, unknown>;
      if (Array.isArray(s.required)) {
        for (const k of s.required as string[]) if (obj[k] === undefined) issues.push({ path, message: `missing required field '${k}'` });
      }
      const props = (s.properties ?? {}) as Record<string, JsonSchema>;
      for (const [k, item] of Object.entries(obj)) {
        // JSON has no undefined: a member set to undefined is absent.
        if (item === undefined) continue;
        if (k in props) check(item, props[k], pointer(path, k));
        else if (s.additionalProperties !== undefined) check(item, s.additionalProperties as JsonSchema, pointer(path, k));
      }
    }
    if (Array.isArray(s.allOf)) for (const sub of s.allOf as JsonSchema[]) check(v, sub, path);
    if (Array.isArray(s.anyOf)) {
      const branches = (s.anyOf as JsonSchema[]).map((sub) => schemaIssues(v, sub, root, limit));
      if (!branches.some((b) => b.length === 0)) {
        // Report the branch that came closest, which is usually the one the author meant.
        const score = (b: SchemaIssue[]) => b.length + (b.some((i) => i.path === '' && i.message.startsWith('expected ')) ? 0.5 : 0);
        const best = branches.reduce((a, b) => (score(b) < score(a) ? b : a)).map((i) => ({ ...i, path: path + i.path }));
        issues.push(...best);
      }
    }
  };
  check(value, schema, '');
  return issues.slice(0, limit);
}

/** `value` as a Bundle when it conforms to docs/bundle.schema.json; otherwise a 'bundle-invalid' error naming the first problem. */
export function validateBundle(value: unknown, file?: string): Result<Bundle> {
  const issues = schemaIssues(value, BUNDLE_JSON_SCHEMA);
  if (issues.length === 0) return ok(value as Bundle);
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  const error: AppError = { code: 'bundle-invalid', message: `not a valid Candour bundle: at ${first.path || 'the top level'}, ${first.message}${more}` };
  if (file !== undefined) error.file = file;
  return fail(error);
}
