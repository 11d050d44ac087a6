/**
 * A declared lock order (docs/lockorder.md): lock classes and the edges
 * allowed between them, one per line.
 *
 *   # comment                       (also after any line)
 *   class NAME                      declares a class with no edge of its own
 *   A -> B                          B may be taken (or waited for) while A is held
 *   A -> B -> C                     shorthand for A -> B and B -> C
 *
 * Class names are lockdep's (`&vdev->memory_lock`, `reservation_ww_class_mutex`,
 * `(completion)&priv->comp`), exactly as `lockorder` prints them. An observed
 * edge X -> Y keeps the declared order when the declared edges lead from X to Y
 * (directly or through other classes), since lockdep records an edge from every
 * held lock down to the first one not taken by trylock.
 */
import type { DeclaredOrder } from '../properties/lock-graph.ts';
import { UsageError } from './errors.ts';

export function parseOrderFile(file: string, text: string): DeclaredOrder {
  const classes: string[] = [];
  const lineOf: Record<string, number> = {};
  const edges: { from: string; to: string; line: number }[] = [];
  let n = 0;
  const declare = (c: string) => {
    if (classes.includes(c)) return;
    classes.push(c);
    lineOf[c] = n;
  };
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    n = i + 1;
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    const bad = (why: string): never => {
      throw new UsageError(`${file}:${n}: ${why} (expected "class NAME" or "A -> B [-> C ...]"; see docs/lockorder.md)`);
    };
    const cls = /^class\s+(\S+)$/.exec(line);
    if (cls) {
      declare(cls[1] as string);
      return;
    }
    if (/^class\b/.test(line)) bad('"class" takes exactly one class name');
    const parts = line.split(/\s+->\s+/).map((p) => p.trim());
    if (parts.length < 2) bad(`"${line}" is neither a class nor an edge`);
    for (const p of parts) {
      if (!p) bad('an edge needs a class on each side of ->');
      if (/\s/.test(p)) bad(`"${p}" is not one class name (names have no spaces)`);
      if (p.includes('->') && !/^&\w+->/.test(p) && !/\)&\w+->/.test(p)) bad(`"${p}": write arrows with spaces around them`);
    }
    for (let k = 0; k + 1 < parts.length; k++) {
      const from = parts[k] as string;
      const to = parts[k + 1] as string;
      if (from === to) bad(`${from} -> ${to}: a class cannot be ordered after itself`);
      declare(from);
      declare(to);
      if (!edges.some((e) => e.from === from && e.to === to)) edges.push({ from, to, line: n });
    }
  });
  if (classes.length === 0)
    throw new UsageError(`${file}: declares no lock class (expected "class NAME" or "A -> B" lines; see docs/lockorder.md)`);
  return { file, classes, lineOf, edges };
}
