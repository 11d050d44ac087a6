/**
 * Plain data stored in the world and passed as operation arguments.
 * Kept JSON-shaped so that states have a canonical key, traces diff as text,
 * and counterexample files stay readable.
 */
export type Value = null | boolean | number | string | readonly Value[] | { readonly [k: string]: Value };

/** Arguments of an operation, by name (never positional, so files survive model edits). */
export type Args = { readonly [name: string]: Value };

/**
 * JSON with object keys sorted, so equal values always give equal strings.
 * Used for state keys and digests; arrays keep their order.
 */
export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return v === undefined ? 'null' : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`).join(',')}}`;
}

/** FNV-1a 64-bit over a string, as 16 hex digits: digests of traces and designs. */
export function digest(text: string): string {
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * prime) & mask;
  }
  return h.toString(16).padStart(16, '0');
}
