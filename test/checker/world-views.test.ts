/**
 * Views (layout.ts View, kind.ts declareKind): a field computed from another
 * field of the same object, so that one fact is stored once. Reading or
 * writing the view goes through the stored field; keys, fingerprints, undo
 * and footprints see only the stored field; traces show what the code wrote.
 */
import { describe, expect, it } from 'vitest';
import type { Fp } from '../../checker/fingerprint.ts';
import { declareKind, initialFields } from '../../checker/kind.ts';
import { layoutOf } from '../../checker/layout.ts';
import { names } from '../../checker/names.ts';
import { type Change, Recorder, World } from '../../checker/world.ts';

type LampFields = { mode: 'off' | 'dim' | 'full'; on: boolean; watts: number };
const lamp = declareKind<'vlamp', LampFields, { type: string }>('vlamp', { mode: 'off', on: false, watts: 0 }, null, {
  on: { of: 'mode', read: (m) => m !== 'off', write: (v, m) => (v ? (m === 'full' ? 'full' : 'dim') : 'off') },
});

function make(given: Partial<LampFields>): { w: World; id: string } {
  const w = new World(true);
  return { w, id: w.create(lamp.kind, initialFields(lamp, given)) };
}

function fp(w: World): Fp {
  const h = { a: 0, b: 0 };
  w.fingerprint(h);
  return h;
}

describe('views', () => {
  it('read and write through the stored field', () => {
    const { w, id } = make({});
    expect([w.get(id, 'on'), w.get(id, 'mode')]).toEqual([false, 'off']);
    w.set(id, 'on', true);
    expect([w.get(id, 'on'), w.get(id, 'mode')]).toEqual([true, 'dim']);
    w.set(id, 'mode', 'full');
    w.set(id, 'on', true);
    expect(w.peek(id, 'mode')).toBe('full');
    w.set(id, 'on', false);
    expect([w.peekOr(id, 'on', null), w.peek(id, 'mode')]).toEqual([false, 'off']);
  });

  it('a given stored field is not overwritten by the view’s initial value; a given view wins', () => {
    expect(make({ mode: 'full' }).w.describe('vlamp0').fields).toEqual({ mode: 'full', on: true, watts: 0 });
    expect(make({ on: true }).w.describe('vlamp0').fields).toEqual({ mode: 'dim', on: true, watts: 0 });
    // reports list the view where the declaration puts it
    expect(Object.keys(make({}).w.describe('vlamp0').fields)).toEqual(['mode', 'on', 'watts']);
  });

  it('worlds equal in their stored fields are one state: key and fingerprint', () => {
    const a = make({ mode: 'dim' }).w;
    const b = make({});
    b.w.set(b.id, 'on', true);
    expect(a.key()).toBe(b.w.key());
    expect(fp(a)).toEqual(fp(b.w));
    expect(a.key()).not.toContain('"on"');
    b.w.set(b.id, 'mode', 'full');
    expect(fp(a)).not.toEqual(fp(b.w));
  });

  it('undo takes a view write back, fingerprint included', () => {
    const { w, id } = make({});
    w.keepTrail();
    const before = fp(w);
    const m = w.mark();
    w.set(id, 'on', true);
    expect(fp(w)).not.toEqual(before);
    w.undo(m);
    expect([w.get(id, 'on'), w.get(id, 'mode')]).toEqual([false, 'off']);
    expect(fp(w)).toEqual(before);
  });

  it('a view write is a write of its object in the footprint, and the trace shows the view as written', () => {
    const { w, id } = make({});
    const changes: Change[] = [];
    w.rec = new Recorder(changes);
    w.set(id, 'on', true);
    w.set(id, 'on', true);
    expect(w.rec.writes).toEqual([names.id(id)]);
    expect(changes).toEqual([{ obj: id, field: 'on', from: false, to: true }]);
  });

  it('a stored field cannot become a view, nor a view be given a slot', () => {
    const l = layoutOf('vlamp');
    expect(() => l.slot('on')).toThrow('vlamp.on is a view, not a stored field');
    expect(() =>
      l.defineView(
        'watts',
        'mode',
        () => 0,
        () => 'off',
      ),
    ).toThrow('vlamp.watts is stored');
    expect(() =>
      l.defineView(
        'on',
        'watts',
        () => 0,
        () => 0,
      ),
    ).toThrow('already a view of another field');
  });
});
