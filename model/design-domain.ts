/**
 * A domain as one design sees it: its bounds, help and generated space with
 * the operations (model/domains.ts domainFor) and the actors the design adds. Each added actor brings a bound
 * key whose default is 0, so at the default bound the space, the states and
 * the verdicts are the base domain's; a design that adds no actor gets the
 * domain itself.
 */
import type { ScenarioSpace } from '../checker/space.ts';
import { type AddedActor, DEFAULT_ACTOR_MAX, type Design } from './design.ts';
import type { BoundValues, Domain } from './domain.ts';
import { domainFor } from './domains.ts';

const cache = new WeakMap<object, Domain>();

export function designDomain(design: Design<object>): Domain {
  const known = cache.get(design);
  if (known) return known;
  const d = withAddedActors(domainFor(design), design);
  cache.set(design, d);
  return d;
}

/** `base` (a domain, or one a design's other additions already shape) with the actors `design` adds; `base` itself when it adds none. */
export function withAddedActors(base: Domain, design: Pick<Design<object>, 'name' | 'actors'>): Domain {
  const actors = Object.entries(design.actors ?? {});
  return actors.length === 0 ? base : withActors(base, design.name, actors);
}

function withActors(base: Domain, name: string, actors: readonly [string, AddedActor][]): Domain {
  const byKey = new Map(actors.map(([role, a]) => [a.bound, { role, a }]));
  for (const [key, { role }] of byKey)
    if (key in base.defaultBounds || key === 'profile')
      throw new Error(`design ${name} adds actor ${role} with bound ${key}, which the ${base.name} model already has`);
  const zero = Object.fromEntries([...byKey.keys()].map((k) => [k, 0]));
  return {
    ...base,
    defaultBounds: { ...base.defaultBounds, ...zero },
    boundHelp: { ...base.boundHelp, ...Object.fromEntries(actors.map(([role, a]) => [a.bound, `${role} threads: ${a.help}`])) },
    parseBounds(pairs) {
      const own: Record<string, number> = { ...zero };
      const rest: string[] = [];
      for (const pair of pairs) {
        const m = /^([a-z_]+)=(.*)$/.exec(pair);
        const added = m ? byKey.get(m[1] as string) : undefined;
        if (!m || !added) {
          rest.push(pair);
          continue;
        }
        const n = Number(m[2]);
        const max = added.a.max ?? DEFAULT_ACTOR_MAX;
        if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`bound ${pair} is impossible: expected an integer from 0 to ${max}`);
        own[m[1] as string] = n;
      }
      const r = base.parseBounds(rest);
      return { bounds: { ...r.bounds, ...own }, profile: r.profile };
    },
    // what else space() takes goes to the base, but for commands by role (a design's added operations as
    // commands), whose added roles' entries stay out: an added actor's threads run what its thread() says
    space(bounds, focus, ...rest: unknown[]) {
      const [byRole, ...more] = rest;
      const others =
        byRole && typeof byRole === 'object'
          ? Object.fromEntries(Object.entries(byRole).filter(([role]) => !actors.some(([r]) => r === role)))
          : byRole;
      const s = (base.space as (...a: unknown[]) => ScenarioSpace)(bounds, focus, ...(rest.length ? [others, ...more] : []));
      const added = actors.flatMap(([role, a]) => {
        const n = bounds[a.bound] ?? 0;
        return n > 0 ? [{ role, commands: a.commands ?? [], min: n, max: n, prelude: (i: number) => a.thread?.(i, bounds) ?? [] }] : [];
      });
      if (added.length === 0) return s;
      // before the model's exit thread, which runs after every other one
      const exit = s.roles.findIndex((r) => r.role === 'exit');
      const at = exit < 0 ? s.roles.length : exit;
      return { ...s, roles: [...s.roles.slice(0, at), ...added, ...s.roles.slice(at)] };
    },
    searchBounds(bounds: BoundValues) {
      const b = base.searchBounds(bounds);
      return { ...b, threads: Math.max(b.threads, ...actors.map(([, a]) => bounds[a.bound] ?? 0)) };
    },
  };
}
