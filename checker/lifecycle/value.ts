import type { StateValue } from 'xstate';

/**
 * A state value as one dotted path: `'closed'`, `{ open: 'reading' }` →
 * `'open.reading'`. Properties, counterexample traces and coverage reports all
 * want one printable, comparable name per lifecycle state; the dotted form is
 * also what `snapshot.matches()` accepts. Parallel states are refused at
 * compile time, so every value has exactly one path.
 */
export function dottedValue(value: StateValue): string {
  let path = '';
  let v: StateValue = value;
  for (;;) {
    if (typeof v === 'string') return path + v;
    const keys = Object.keys(v);
    const key = keys[0];
    const child = key === undefined ? undefined : v[key];
    if (keys.length !== 1 || key === undefined || child === undefined) {
      throw new Error(`state value ${JSON.stringify(value)} is not a single path`);
    }
    path += `${key}.`;
    v = child;
  }
}
