/**
 * The world in slots (world.ts): whatever sequence of creates, writes and
 * lifecycle sends, undo brings back the exact world (key and fingerprint), a
 * clone is the same world and independent of its original, and the
 * fingerprint kept up to date at every write equals the one of a world built
 * fresh with the same content, in another creation order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { names } from '../../checker/names.ts';
import { Recorder, World } from '../../checker/world.ts';

const fp = (w: World) => {
  const h = { a: 0, b: 0 };
  w.fingerprint(h);
  return h;
};

/** A lifecycle with two states that flips on T. */
const flip = {
  name: 'flip',
  initial: 0,
  step: (s: number, e: { type: string }) => (e.type === 'T' ? 1 - s : -1),
  value: (s: number) => (s === 0 ? 'off' : 'on'),
};

type Op =
  | { op: 'create'; kind: 'a' | 'b'; x: number }
  | { op: 'set'; obj: number; field: 'x' | 'y'; v: number | string }
  | { op: 'send'; obj: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), kind: fc.constantFrom('a' as const, 'b' as const), x: fc.integer({ min: 0, max: 3 }) }),
  fc.record({
    op: fc.constant('set' as const),
    obj: fc.nat(5),
    field: fc.constantFrom('x' as const, 'y' as const),
    v: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('p', 'q')),
  }),
  fc.record({ op: fc.constant('send' as const), obj: fc.nat(5) }),
);

function apply(w: World, o: Op): void {
  const ids = w.ids();
  if (o.op === 'create') w.create(o.kind, { x: o.x }, o.kind === 'a' ? flip : null);
  else if (ids.length > 0) {
    const id = ids[o.obj % ids.length] as string;
    if (o.op === 'set') w.set(id, o.field, o.v);
    else if (w.kind(id) === 'a') w.send(id, { type: 'T' });
  }
}

function base(): World {
  const w = new World(true);
  w.create('a', { x: 0 }, flip);
  w.create('b', { x: 1, y: 'p' });
  return w;
}

describe('the world in slots', () => {
  it('undo restores key and fingerprint; a clone is equal and independent', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), fc.array(op, { maxLength: 12 }), (before, after) => {
        const w = base();
        for (const o of before) apply(w, o);
        const key = w.key();
        const h = { ...fp(w) };
        const copy = w.clone();
        w.keepTrail();
        const m = w.mark();
        for (const o of after) apply(w, o);
        expect(copy.key()).toBe(key);
        expect(fp(copy)).toEqual(h);
        w.undo(m);
        expect(w.key()).toBe(key);
        expect(fp(w)).toEqual(h);
        expect(w.ids()).toEqual(copy.ids());
      }),
    );
  });

  it('equal content gives an equal fingerprint, whatever the order of writes', () => {
    const one = new World(true);
    const b1 = one.create('b', { x: 1 }, null, 'shared');
    one.set(b1, 'y', 'q');
    one.set(b1, 'x', 2);
    const two = new World(true);
    const b2 = two.create('b', { y: 'q', x: 2 }, null, 'shared');
    expect(two.key()).toBe(one.key());
    expect(fp(two)).toEqual(fp(one));
    two.set(b2, 'x', 3);
    expect(fp(two)).not.toEqual(fp(one));
  });

  it('describe keeps each object its own field order', () => {
    const w = new World(false);
    const a = w.create('c', { p: 1, q: 2 });
    const b = w.create('c', { q: 3, p: 4 });
    expect(Object.keys(w.describe(a).fields)).toEqual(['p', 'q']);
    expect(Object.keys(w.describe(b).fields)).toEqual(['q', 'p']);
  });

  it('records each object once per list, as name numbers', () => {
    const w = new World(false);
    const a = w.create('d', { v: 0 });
    const rec = new Recorder(null);
    w.rec = rec;
    w.get(a, 'v');
    w.get(a, 'v');
    w.set(a, 'v', 1);
    w.set(a, 'v', 2);
    w.has('nothing-here');
    w.rec = null;
    expect(rec.reads.map((n) => names.name(n))).toEqual([a, 'nothing-here']);
    expect(rec.writes.map((n) => names.name(n))).toEqual([a]);
  });
});
