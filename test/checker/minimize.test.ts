/**
 * The minimizer: it shrinks a failing scenario to the operations the bug needs,
 * keeps the violation kind it started from (another bug in a smaller scenario
 * does not count), tries candidates in its order (each thread dropped, first
 * to last, then each operation, last to first) and takes the first that still
 * fails, and never returns a path longer than the one it was given.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../checker/scenario.ts';
import { exploreScenario } from '../../checker/search/exhaustive.ts';
import { minimizeCounterexample } from '../../checker/search/minimize.ts';
import { lostUpdate, thread, toySystem } from './toy-system.ts';

const shape = (s: Scenario) => s.threads.map((t) => `${t.name}:${t.ops.map((o) => o.op).join('+')}`);
const system = toySystem(true);
const monitors = [lostUpdate];

function minimize(scenario: Scenario, kind: string) {
  const r = exploreScenario(system, scenario, { monitors, isFailure: (v) => v.kind === kind });
  if (!r.found) throw new Error(`no ${kind} in ${shape(scenario).join(' ')}`);
  return {
    start: r.found,
    m: minimizeCounterexample(system, { scenario, path: r.found.path, violation: r.found.violation }, { monitors }),
  };
}

describe('minimizeCounterexample', () => {
  it('drops threads first, first to last, and keeps the first smaller scenario that fails', () => {
    const { m } = minimize({ threads: [thread('T0', 'incr', 'lock_ab'), thread('T1', 'incr'), thread('T2', 'incr')] }, 'lost-update');
    // without T0: fails; then without T1, without T2: one thread, no race; nothing left to drop
    expect(shape(m.scenario)).toEqual(['T1:incr', 'T2:incr']);
    expect(m.candidates).toBe(3);
    expect(m.violation.kind).toBe('lost-update');
    // the shortest lost update: read, read, write, write plus the two returns
    expect(m.path).toEqual([0, 0, 1, 1, 1, 0]);
    expect(m.shortest).toBe(true);
  });

  it("then drops operations, each thread's last first", () => {
    const { m } = minimize({ threads: [thread('T0', 'lock_ab', 'incr'), thread('T1', 'incr', 'lock_ab')] }, 'lost-update');
    // round 1: −T0, −T1, T0 without incr (one incr left: no), T0 without lock_ab (fails);
    // round 2: −T0, −T1, T1 without lock_ab (fails); round 3: −T0, −T1
    expect(shape(m.scenario)).toEqual(['T0:incr', 'T1:incr']);
    expect(m.candidates).toBe(9);
  });

  it('keeps the violation kind it started from', () => {
    const sc = { threads: [thread('T0', 'lock_ab', 'incr'), thread('T1', 'lock_ba', 'incr')] };
    const lost = minimize(sc, 'lost-update').m;
    expect(lost.violation.kind).toBe('lost-update');
    expect(shape(lost.scenario)).toEqual(['T0:incr', 'T1:incr']);
    const dead = minimize(sc, 'deadlock').m;
    expect(dead.violation.kind).toBe('deadlock');
    expect(shape(dead.scenario)).toEqual(['T0:lock_ab', 'T1:lock_ba']);
  });

  it('a scenario already minimal stays, with a path no longer than the one given', () => {
    const sc = { threads: [thread('T0', 'incr'), thread('T1', 'incr')] };
    const { start, m } = minimize(sc, 'lost-update');
    expect(m.scenario).toBe(sc);
    expect(m.candidates).toBe(2);
    expect(m.path.length).toBeLessThanOrEqual(start.path.length);
    expect(m.shortest).toBe(true);
  });

  it('gives back what it was given when no interleaving is as short as the path it claims', () => {
    const sc = { threads: [thread('T0', 'incr'), thread('T1', 'incr')] };
    const violation = { kind: 'lost-update', message: 'claimed' };
    const m = minimizeCounterexample(system, { scenario: sc, path: [0], violation }, { monitors });
    expect(m.scenario).toBe(sc);
    expect(m.path).toEqual([0]);
    expect(m.violation).toBe(violation);
    expect(m.shortest).toBe(false);
  });

  it("passes the execution options through: a step limit below the bug's length hides it", () => {
    const sc = { threads: [thread('T0', 'incr', 'lock_ab'), thread('T1', 'incr')] };
    const r = exploreScenario(system, sc, { monitors });
    const start = { scenario: sc, path: r.found!.path, violation: r.found!.violation };
    const m = minimizeCounterexample(system, start, { monitors, execOptions: { maxSteps: 3 } });
    expect(m.scenario).toBe(sc);
    expect(m.shortest).toBe(false);
    // without the monitor there is no lost update to keep
    const bare = minimizeCounterexample(system, start, {});
    expect(bare.scenario).toBe(sc);
  });
});

describe('minimizing to one thread', () => {
  /** a violation one thread can cause: the counter reaches 2 */
  const two = {
    name: 'two',
    atEnd: (exec: { world: { peek(id: string, f: string): unknown } }) =>
      exec.world.peek('counter', 'value') === 2 ? { kind: 'two', message: 'counter is 2' } : null,
  };
  it('never drops the last thread, and keeps one operation of each kind it needs', () => {
    const scenario = { threads: [thread('T0', 'incr', 'incr'), thread('T1', 'incr')] };
    const r = exploreScenario(system, scenario, { monitors: [two] });
    const m = minimizeCounterexample(system, { scenario, path: r.found!.path, violation: r.found!.violation }, { monitors: [two] });
    // −T0 (one incr: no), −T1 (fails); then only operations: T0 without its last, without its first (no, no)
    expect(shape(m.scenario)).toEqual(['T0:incr+incr']);
    expect(m.candidates).toBe(4);
  });

  it('drops one operation at a time, not all but one', () => {
    const { m } = minimize({ threads: [thread('T0', 'lock_ab', 'incr', 'lock_ab'), thread('T1', 'incr')] }, 'lost-update');
    // round 1: −T0, −T1, T0 without its last lock_ab (fails); round 2: −T0, −T1, T0 without incr (no),
    // without lock_ab (fails); round 3: −T0, −T1. Keeping only the removed one instead: 6
    expect(shape(m.scenario)).toEqual(['T0:incr', 'T1:incr']);
    expect(m.candidates).toBe(9);
  });
});
