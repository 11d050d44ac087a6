/**
 * Canonical keys for plain data.
 *
 * Interning is only sound if two values that a lifecycle machine cannot tell
 * apart get the same key, and two values it *can* tell apart never do. Plain
 * `JSON.stringify` fails both ways: key order leaks into the key, and
 * `undefined`, `NaN`, `-0`, `Map`, class instances and functions are silently
 * collapsed or dropped. So this encoder sorts keys, spells out the JSON gaps,
 * and refuses anything that is not plain data instead of guessing.
 */

/** Thrown when a context or event holds something that cannot be keyed faithfully. */
export class NotPlainDataError extends TypeError {
  override name = 'NotPlainDataError';
}

/**
 * Stable key of a plain-data value: objects with sorted keys, arrays, strings,
 * numbers (including `NaN`, `±Infinity`, `-0`), booleans, `null`, `undefined`.
 * `where` only feeds the error message ("context", "event", ...).
 */
export function canonicalKey(value: unknown, where: string): string {
  return encode(value, where, new Set());
}

/**
 * canonicalKey of a plain object whose values are all strings, booleans,
 * numbers, null or undefined (most events: a type and a flag or two): the
 * same text, made without the paths and the set of ancestors that only an
 * error or a nested value needs. Null for anything else (canonicalKey then
 * keys it, or says why it cannot).
 */
export function flatKey(value: object): string | null {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return null;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const v = record[k];
    let e: string;
    switch (typeof v) {
      case 'string':
        e = JSON.stringify(v);
        break;
      case 'boolean':
        e = v ? 'true' : 'false';
        break;
      case 'undefined':
        e = 'undefined';
        break;
      case 'number':
        e = Object.is(v, -0) ? '-0' : String(v);
        break;
      case 'object':
        if (v !== null) return null;
        e = 'null';
        break;
      default:
        return null;
    }
    out += `${i === 0 ? '' : ','}${JSON.stringify(k)}:${e}`;
  }
  return `${out}}`;
}

function encode(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'undefined';
    case 'number':
      if (Object.is(value, -0)) return '-0';
      return String(value); // unlike JSON, NaN and ±Infinity stay distinct from null
    case 'object':
      break;
    default:
      throw new NotPlainDataError(`${path} is a ${typeof value}; only plain data can be interned`);
  }
  if (value === null) return 'null';
  if (ancestors.has(value)) throw new NotPlainDataError(`${path} is circular; only plain data can be interned`);
  ancestors.add(value);
  let out: string;
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (let i = 0; i < value.length; i++) parts.push(encode(value[i], `${path}[${i}]`, ancestors));
    out = `[${parts.join(',')}]`;
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const kind = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw new NotPlainDataError(`${path} is a ${kind} instance; only plain objects and arrays can be interned`);
    }
    const record = value as Record<string, unknown>;
    const parts: string[] = [];
    for (const k of Object.keys(record).sort()) {
      parts.push(`${JSON.stringify(k)}:${encode(record[k], `${path}.${k}`, ancestors)}`);
    }
    out = `{${parts.join(',')}}`;
  }
  ancestors.delete(value);
  return out;
}

/**
 * Freeze a plain-data value all the way down. Interned contexts are shared by
 * every path that reaches the same state, so an assigner that mutated one in
 * place would silently corrupt unrelated paths; frozen, it throws instead.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
