// Strict validation of a built-in object against the v1.32 schema, as `kubectl apply
// --validate=strict` does: an unknown field, a wrong type or a missing required field is an error.
import { QUANTITY_FIELDS, model, type Model } from './builtin-schema.js';

/** Quantity's canonical syntax (k8s.io/apimachinery resource.Quantity): number + suffix. */
const QUANTITY = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+|[numkMGTPE]|[KMGTPE]i)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const INT32 = 2 ** 31;

export type Errors = string[];

/** Validates `value` as an instance of the named model; errors carry JSON paths. */
export function validateModel(value: unknown, modelName: string, path: string, errors: Errors): void {
  const m = model(modelName);
  if (m === null) {
    errors.push(`${path}: no schema for type ${modelName}`);
    return;
  }
  validateAgainst(value, m, path, errors);
}

function validateAgainst(value: unknown, m: Model, path: string, errors: Errors): void {
  if (!isPlainObject(value)) {
    errors.push(`${at(path)}expected object (${m.name}), got ${describe(value)}`);
    return;
  }
  const quantities = QUANTITY_FIELDS.get(m.name) ?? [];
  for (const [key, v] of Object.entries(value)) {
    const attr = m.attributes.get(key);
    const child = join(path, key);
    if (attr === undefined) {
      errors.push(`${at(path)}unknown field "${key}" (${m.name})`);
      continue;
    }
    if (v === null) continue; // JSON null is "unset" for the API server
    validateType(v, attr.type, attr.format, child, errors, quantities.includes(key));
  }
  for (const key of m.required) {
    if (value[key] === undefined || value[key] === null) errors.push(`${at(path)}missing required field "${key}" (${m.name})`);
  }
}

function validateType(v: unknown, type: string, format: string, path: string, errors: Errors, quantity: boolean): void {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(v)) return void errors.push(`${at(path)}expected array, got ${describe(v)}`);
    v.forEach((item, i) => {
      if (item === null) errors.push(`${at(`${path}[${i}]`)}null item`);
      else validateType(item, array[1] ?? '', format, `${path}[${i}]`, errors, quantity);
    });
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (!isPlainObject(v)) return void errors.push(`${at(path)}expected map, got ${describe(v)}`);
    for (const [k, item] of Object.entries(v)) {
      if (item !== null) validateType(item, map[1] ?? '', format, `${path}[${JSON.stringify(k)}]`, errors, quantity);
    }
    return;
  }
  if (quantity) {
    if (typeof v === 'number' || (typeof v === 'string' && QUANTITY.test(v))) return;
    return void errors.push(`${at(path)}expected quantity, got ${describe(v)}`);
  }
  switch (type) {
    case 'any':
      return;
    case 'string':
      if (typeof v !== 'string') return void errors.push(`${at(path)}expected string, got ${describe(v)}`);
      if (format === 'byte' && !BASE64.test(v.replace(/\s/g, ''))) errors.push(`${at(path)}expected base64 data`);
      return;
    case 'boolean':
      if (typeof v !== 'boolean') errors.push(`${at(path)}expected boolean, got ${describe(v)}`);
      return;
    case 'number':
      if (typeof v !== 'number') return void errors.push(`${at(path)}expected ${format || 'number'}, got ${describe(v)}`);
      if ((format === 'int32' || format === 'int64') && !Number.isInteger(v)) errors.push(`${at(path)}expected integer, got ${v}`);
      if (format === 'int32' && (v >= INT32 || v < -INT32)) errors.push(`${at(path)}${v} overflows int32`);
      return;
    case 'Date':
      if (typeof v !== 'string' || !DATE_TIME.test(v)) errors.push(`${at(path)}expected RFC 3339 date-time, got ${describe(v)}`);
      return;
    case 'IntOrString':
      if (!(typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)))) errors.push(`${at(path)}expected integer or string, got ${describe(v)}`);
      return;
    default: {
      const m = model(type);
      if (m === null) return void errors.push(`${at(path)}no schema for type ${type}`);
      validateAgainst(v, m, path, errors);
    }
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'string' ? `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}` : `${typeof v} ${typeof v === 'object' ? '' : String(v)}`.trim();
}

export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function at(path: string): string {
  return path === '' ? '' : `${path}: `;
}
