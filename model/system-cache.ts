import type { System } from '../checker/scenario.ts';

/**
 * One System per design and set of watched returns, so a design checked
 * against the same properties reuses its f_op tables and bound prototype (and
 * the engine's caches keyed on the System), while a different set of watched
 * functions gets a System of its own instead of changing a shared one.
 */
export function systemCache<D extends object>(
  make: (design: D, watchedReturns: ReadonlySet<string>) => System,
): (design: D, watchedReturns: ReadonlySet<string>) => System {
  const systems = new WeakMap<D, Map<string, System>>();
  return (design, watchedReturns) => {
    const key = [...watchedReturns].sort().join(' ');
    let byWatched = systems.get(design);
    if (!byWatched) systems.set(design, (byWatched = new Map()));
    let system = byWatched.get(key);
    if (!system) byWatched.set(key, (system = make(design, new Set(watchedReturns))));
    return system;
  };
}
