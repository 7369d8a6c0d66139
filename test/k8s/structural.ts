// Validation of a custom resource against its CRD's openAPIV3Schema read as a Kubernetes
// structural schema, with strict field validation (`kubectl apply --validate=strict`): a field the
// schema neither lists nor preserves is an error. CEL rules (x-kubernetes-validations) and rare
// formats are not evaluated; everything else the API server checks cheaply is.
import { at, describe, isPlainObject, join, validateModel, type Errors } from './validate-builtin.js';

export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  nullable?: boolean;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  not?: Schema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  /** RigLease's own marker (helmchart-schema.ts): a field typed with a built-in model, e.g. V1SecurityContext. */
  'x-riglease-model'?: string;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const patterns = new Map<string, RegExp | null>();

/** Validates the root of a custom resource: apiVersion, kind, metadata (as ObjectMeta), the rest by schema. */
export function validateRoot(obj: Record<string, unknown>, schema: Schema, errors: Errors): void {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = obj;
  if (metadata !== undefined && metadata !== null) validateModel(metadata, 'V1ObjectMeta', 'metadata', errors);
  const props = { ...schema.properties };
  delete props.apiVersion;
  delete props.kind;
  delete props.metadata;
  validate(rest, { ...schema, properties: props, required: (schema.required ?? []).filter((r) => !['apiVersion', 'kind', 'metadata'].includes(r)) }, '', errors, true);
}

/** `strict` is false inside allOf/anyOf/oneOf/not, which only constrain values (structural rule). */
export function validate(v: unknown, s: Schema, path: string, errors: Errors, strict: boolean): void {
  if (v === null) {
    if (!s.nullable) errors.push(`${at(path)}must not be null`);
    return;
  }
  if (s['x-riglease-model'] !== undefined) return validateModel(v, s['x-riglease-model'], path, errors);
  if (!typeMatches(v, s)) return void errors.push(`${at(path)}expected ${s['x-kubernetes-int-or-string'] ? 'integer or string' : s.type}, got ${describe(v)}`);
  if (s.enum !== undefined && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
    errors.push(`${at(path)}unsupported value ${JSON.stringify(v)}: supported values: ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  if (typeof v === 'string') validateString(v, s, path, errors);
  if (typeof v === 'number') validateNumber(v, s, path, errors);
  if (Array.isArray(v)) validateArray(v, s, path, errors, strict);
  if (isPlainObject(v)) validateObject(v, s, path, errors, strict);
  validateCombinators(v, s, path, errors);
}

function typeMatches(v: unknown, s: Schema): boolean {
  if (s['x-kubernetes-int-or-string']) return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
  switch (s.type) {
    case undefined: return true;
    case 'object': return isPlainObject(v);
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number';
    case 'boolean': return typeof v === 'boolean';
  }
}

function validateString(v: string, s: Schema, path: string, errors: Errors): void {
  const length = [...v].length;
  if (s.maxLength !== undefined && length > s.maxLength) errors.push(`${at(path)}may not be longer than ${s.maxLength}`);
  if (s.minLength !== undefined && length < s.minLength) errors.push(`${at(path)}should be at least ${s.minLength} chars long`);
  if (s.pattern !== undefined) {
    const re = compile(s.pattern);
    if (re !== null && !re.test(v)) errors.push(`${at(path)}should match '${s.pattern}'`);
  }
  if (s.format === 'date-time' && !DATE_TIME.test(v)) errors.push(`${at(path)}expected RFC 3339 date-time`);
  if (s.format === 'byte' && !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) errors.push(`${at(path)}expected base64 data`);
}

/** Go's RE2 and JavaScript agree on the patterns CRDs use; one JavaScript cannot compile is skipped. */
function compile(pattern: string): RegExp | null {
  if (!patterns.has(pattern)) {
    try {
      patterns.set(pattern, new RegExp(pattern));
    } catch {
      patterns.set(pattern, null);
    }
  }
  return patterns.get(pattern) ?? null;
}

function validateNumber(v: number, s: Schema, path: string, errors: Errors): void {
  if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) errors.push(`${at(path)}should be greater than or equal to ${s.minimum}`);
  if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) errors.push(`${at(path)}should be less than or equal to ${s.maximum}`);
  if (s.format === 'int32' && (v >= 2 ** 31 || v < -(2 ** 31))) errors.push(`${at(path)}${v} overflows int32`);
}

function validateArray(v: unknown[], s: Schema, path: string, errors: Errors, strict: boolean): void {
  if (s.minItems !== undefined && v.length < s.minItems) errors.push(`${at(path)}should have at least ${s.minItems} items`);
  if (s.maxItems !== undefined && v.length > s.maxItems) errors.push(`${at(path)}must have at most ${s.maxItems} items`);
  if (s.items !== undefined) v.forEach((item, i) => validate(item, s.items as Schema, `${path}[${i}]`, errors, strict));
}

function validateObject(v: Record<string, unknown>, s: Schema, path: string, errors: Errors, strict: boolean): void {
  const keys = Object.keys(v);
  if (s.minProperties !== undefined && keys.length < s.minProperties) errors.push(`${at(path)}should have at least ${s.minProperties} properties`);
  if (s.maxProperties !== undefined && keys.length > s.maxProperties) errors.push(`${at(path)}must have at most ${s.maxProperties} properties`);
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  for (const key of keys) {
    const child = v[key];
    const childPath = join(path, key);
    const prop = s.properties?.[key];
    if (embedded && (key === 'apiVersion' || key === 'kind')) continue;
    if (embedded && key === 'metadata' && prop === undefined) {
      if (child !== null) validateModel(child, 'V1ObjectMeta', childPath, errors);
      continue;
    }
    if (prop !== undefined) {
      if (child === null && !prop.nullable) continue; // a null in a non-nullable field is pruned
      validate(child, prop, childPath, errors, strict);
    } else if (typeof s.additionalProperties === 'object') {
      validate(child, s.additionalProperties, childPath, errors, strict);
    } else if (strict && s.additionalProperties !== true && s['x-kubernetes-preserve-unknown-fields'] !== true) {
      errors.push(`${at(path)}unknown field "${key}"`);
    }
  }
  for (const key of s.required ?? []) {
    if (v[key] === undefined || v[key] === null) errors.push(`${at(path)}missing required field "${key}"`);
  }
}

function validateCombinators(v: unknown, s: Schema, path: string, errors: Errors): void {
  const passes = (sub: Schema): boolean => {
    const e: Errors = [];
    validate(v, sub, path, e, false);
    return e.length === 0;
  };
  for (const sub of s.allOf ?? []) validate(v, sub, path, errors, false);
  if (s.anyOf !== undefined && !s.anyOf.some(passes)) errors.push(`${at(path)}must match at least one schema of anyOf`);
  if (s.oneOf !== undefined && s.oneOf.filter(passes).length !== 1) errors.push(`${at(path)}must match exactly one schema of oneOf`);
  if (s.not !== undefined && passes(s.not)) errors.push(`${at(path)}must not match the schema of not`);
}
