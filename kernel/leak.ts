import type { ExecView, Monitor } from '../checker/monitor.ts';
import type { Violation } from '../checker/point.ts';
import { isFreed } from './types.ts';

/**
 * Quiescence check for references (`refcount-leak`): when every thread has
 * finished, a live object of the given kinds whose count is not what is expected
 * (0 unless it says otherwise in `__expect_refs`) holds a reference nobody will
 * drop. Deferred task work has run by then (it runs before a thread finishes).
 */
export interface LeakCheck {
  /** object kind -> the field holding its count */
  readonly kinds: Readonly<Record<string, string>>;
}

export function refcountLeakMonitor(check: LeakCheck): Monitor {
  return {
    name: 'refcount-leak',
    atEnd(exec: ExecView): Violation | null {
      const w = exec.world;
      const leaks: string[] = [];
      for (const [kind, field] of Object.entries(check.kinds)) {
        for (const id of w.ids(kind)) {
          if (isFreed(w, id)) continue;
          const n = w.peek(id, field) as number;
          const expect = w.peekOr(id, '__expect_refs', 0) as number;
          if (n !== expect) leaks.push(`${id}.${field} = ${n} (expected ${expect})`);
        }
      }
      if (leaks.length === 0) return null;
      return {
        kind: 'refcount-leak',
        message: `references leaked at quiescence: ${leaks.join(', ')}`,
        report: leaks.map((l) => `  ${l}`).join('\n'),
      };
    },
  };
}
