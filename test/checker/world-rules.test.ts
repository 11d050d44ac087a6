/**
 * The world's rules one by one: ids and their counters, what a step's footprint
 * records (reads, writes, counts; a peek only while a monitor observes), the
 * changes a trace shows, lifecycle sends refused without a change, clear errors
 * for missing objects and fields, and a rebuilt thread answered from its log
 * without touching the world.
 */
import { describe, expect, it } from 'vitest';
import { layoutOf } from '../../checker/layout.ts';
import { names } from '../../checker/names.ts';
import { ThreadLog } from '../../checker/thread-log.ts';
import { type Change, Recorder, World } from '../../checker/world.ts';

const flip = {
  name: 'flip',
  initial: 0,
  step: (s: number, e: { type: string }) => (e.type === 'T' ? 1 - s : e.type === 'STAY' ? s : -1),
  value: (s: number) => (s === 0 ? 'off' : 'on'),
};
const spelled = (ns: readonly number[]) => ns.map((n) => names.name(n));
const fp = (w: World) => {
  const h = { a: 0, b: 0 };
  w.fingerprint(h);
  return h;
};

describe('ids', () => {
  it('numbers ids per kind in creation order, given ids count too, and refuses a second object with one id', () => {
    const w = new World();
    expect(w.create('wr', { v: 0 })).toBe('wr0');
    expect(w.create('wr', { v: 0 }, null, 'mine')).toBe('mine');
    expect(w.create('wr', { v: 0 })).toBe('wr2');
    expect(w.create('ws', {})).toBe('ws0');
    expect(() => w.create('ws', {}, null, 'mine')).toThrow('object mine already exists');
    expect(w.ids()).toEqual(['wr0', 'mine', 'wr2', 'ws0']);
    expect(w.ids('wr')).toEqual(['wr0', 'mine', 'wr2']);
    expect(w.ids('none')).toEqual([]);
    expect(w.has('mine')).toBe(true);
    expect(w.has('wr1')).toBe(false);
    expect(w.kind('mine')).toBe('wr');
    expect(w.key()).toContain('#wr=3;');
    expect(w.written).toEqual(['wr0', 'mine', 'wr2', 'ws0']);
  });

  it('says which object or field is missing', () => {
    const w = new World();
    w.create('wr', { v: 0 }, null, 'o');
    expect(() => w.get('p', 'v')).toThrow('no object p');
    expect(() => w.get('o', 'u')).toThrow('object o has no field u');
    expect(() => w.peek('o', 'u')).toThrow('object o has no field u');
    expect(() => w.set('p', 'v', 1)).toThrow('no object p');
    expect(() => w.send('o', { type: 'T' })).toThrow('object o has no lifecycle');
    expect(() => w.state('o')).toThrow('object o has no lifecycle');
    expect(() => w.undo(0)).toThrow('undo needs a trail');
    expect(w.mark()).toBe(0);
  });
});

describe('footprints and changes', () => {
  it('a numbered create writes the kind counter; a create with a given id only counts it', () => {
    const w = new World();
    const rec = new Recorder(null);
    w.rec = rec;
    const a = w.create('fa', { v: 0 });
    w.create('fa', { v: 0 }, null, 'given');
    expect(spelled(rec.writes)).toEqual([a, '#fa', 'given']);
    expect(spelled(rec.counts)).toEqual(['#fa']);
    expect(rec.reads).toEqual([]);
  });

  it('ids() reads the counters it lists: one kind, or every kind', () => {
    const w = new World();
    w.create('fb', {});
    w.create('fc', {});
    const one = new Recorder(null);
    w.rec = one;
    w.ids('fb');
    expect(spelled(one.reads)).toEqual(['#fb']);
    const all = new Recorder(null);
    w.rec = all;
    w.ids();
    expect(spelled(all.reads)).toEqual(['#fb', '#fc']);
  });

  it('a peek is no read unless a monitor is observing; a get, has and state are', () => {
    const w = new World();
    w.create('fd', { v: 1 }, flip, 'o');
    const rec = new Recorder(null);
    w.rec = rec;
    expect(w.peek('o', 'v')).toBe(1);
    expect(w.state('o')).toBe('off');
    expect(rec.reads).toEqual([]);
    w.observing = true;
    w.peek('o', 'v');
    w.observing = false;
    expect(spelled(rec.reads)).toEqual(['o']);
    const r2 = new Recorder(null);
    w.rec = r2;
    w.observing = true;
    w.state('o');
    expect(spelled(r2.reads)).toEqual(['o']);
  });

  it('records the changes a trace shows: fields and initial state at a create, a field only when it changes, sends', () => {
    const w = new World();
    const changes: Change[] = [];
    w.rec = new Recorder(changes);
    w.create('fe', { v: 1, s: 'x' }, flip, 'o');
    w.set('o', 'v', 1);
    w.set('o', 'v', 2);
    expect(w.send('o', { type: 'STAY' })).toBe(true);
    expect(w.send('o', { type: 'T' })).toBe(true);
    expect(changes).toEqual([
      { obj: 'o', field: 'v', from: undefined, to: 1 },
      { obj: 'o', field: 's', from: undefined, to: 'x' },
      { obj: 'o', field: '@state', from: undefined, to: 'off' },
      { obj: 'o', field: 'v', from: 1, to: 2 },
      { obj: 'o', field: '@state', from: 'off', to: 'on' },
    ]);
    expect(w.state('o')).toBe('on');
    expect(w.describe('o')).toEqual({ kind: 'fe', state: 'on', fields: { v: 2, s: 'x' } });
  });

  it('a refused send changes nothing but is a write (the step met the object)', () => {
    const w = new World(true);
    w.create('ff', {}, flip, 'o');
    const key = w.key();
    const before = { ...fp(w) };
    w.written.length = 0;
    const rec = new Recorder([]);
    w.rec = rec;
    expect(w.send('o', { type: 'NOPE' })).toBe(false);
    expect(w.key()).toBe(key);
    expect(fp(w)).toEqual(before);
    expect(w.state('o')).toBe('off');
    expect(rec.changes).toEqual([]);
    expect(spelled(rec.writes)).toEqual(['o']);
    expect(w.written).toEqual([]);
    // an accepted send changes the key and the fingerprint, and undo brings both back
    w.keepTrail();
    const m = w.mark();
    expect(w.send('o', { type: 'T' })).toBe(true);
    expect(w.written).toEqual(['o']);
    expect(w.key()).not.toBe(key);
    expect(fp(w)).not.toEqual(before);
    w.undo(m);
    expect(w.key()).toBe(key);
    expect(fp(w)).toEqual(before);
    expect(w.state('o')).toBe('off');
  });

  it('a recorder lists a name once; another recorder lists it again', () => {
    const big = names.id('world-rules:a name numbered past the first table');
    const a = new Recorder(null);
    a.read(big);
    a.read(big);
    a.write(big);
    a.count(big);
    a.count(big);
    const b = new Recorder(null);
    b.read(big);
    a.read(big);
    expect(a.reads).toEqual([big, big]);
    expect(a.writes).toEqual([big]);
    expect(a.counts).toEqual([big]);
    expect(b.reads).toEqual([big]);
  });

  it('undo of a create takes the object, its kind list and its counter back', () => {
    const w = new World(true);
    w.create('fg', { v: 0 });
    const key = w.key();
    const h = { ...fp(w) };
    w.keepTrail();
    const m = w.mark();
    w.create('fg', { v: 1 });
    w.create('fh', {}, null, 'z');
    expect(w.mark()).toBe(m + 2);
    w.undo(m);
    expect(w.key()).toBe(key);
    expect(fp(w)).toEqual(h);
    expect(w.ids('fg')).toEqual(['fg0']);
    expect(w.has('z')).toBe(false);
    expect(w.create('fg', { v: 1 })).toBe('fg1');
    expect(layoutOf('fg').kind).toBe('fg');
  });
});

describe('a thread rebuilt from its log', () => {
  it('gets back what it read, in order, errors included, and changes nothing', () => {
    const w = new World(true);
    w.create('tl', { v: 5 }, flip, 'o');
    const log = new ThreadLog();
    w.tap = log;
    const got = [w.get('o', 'v'), w.has('o'), w.has('p'), w.kind('o'), w.state('o'), w.ids('tl'), w.create('tl', { v: 0 })];
    expect(() => w.get('o', 'u')).toThrow('object o has no field u');
    expect(() => w.kind('p')).toThrow('no object p');
    expect(got).toEqual([5, true, false, 'tl', 'off', ['o'], 'tl1']);
    expect(log.length).toBe(9);
    const key = w.key();
    const h = { ...fp(w) };
    log.startReplay();
    const again = [w.get('o', 'v'), w.has('o'), w.has('p'), w.kind('o'), w.state('o'), w.ids('tl'), w.create('tl', { v: 0 })];
    expect(again).toEqual(got);
    expect(() => w.get('o', 'v')).toThrow('object o has no field u');
    expect(() => w.kind('o')).toThrow('no object p');
    // writes and sends of a rebuilt thread are already in the world
    w.set('o', 'v', 99);
    expect(w.send('o', { type: 'NOPE' })).toBe(true);
    expect(log.exhausted).toBe(true);
    log.stopReplay();
    w.tap = null;
    expect(w.key()).toBe(key);
    expect(fp(w)).toEqual(h);
    expect(w.peek('o', 'v')).toBe(5);
  });

  it('reads by thread code are logged, peeks included (its locals may depend on them)', () => {
    const w = new World();
    w.create('tm', { v: 3 }, flip, 'o');
    const log = new ThreadLog();
    w.tap = log;
    expect(w.state('o')).toBe('off');
    expect(w.peek('o', 'v')).toBe(3);
    expect(log.keyText()).toBe('"off",3');
  });
});
