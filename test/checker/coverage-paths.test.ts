/**
 * CoverageRecorder over a search that backtracks: an execution counts the
 * functions entered on its own path (steps 0 .. depth-1) only, never steps of
 * an abandoned longer path left in the reused marks, nor steps at or past the
 * depth it ended at.
 */
import { describe, expect, it } from 'vitest';
import { CoverageRecorder } from '../../checker/coverage.ts';

const executions = (c: CoverageRecorder) => Object.fromEntries([...c.table()].map(([f, v]) => [f, v.executions]));
const raced = (c: CoverageRecorder) => Object.fromEntries([...c.table()].map(([f, v]) => [f, v.raced]));

describe('coverage of executions that share a prefix', () => {
  it('counts a function entered on the shared prefix in each execution, and one of an abandoned branch once', () => {
    const c = new CoverageRecorder();
    c.step(0, ['T0:op'], false);
    c.enter('f');
    c.step(1, ['T0:op', 'f'], false);
    c.enter('g');
    c.end(2);
    // back to depth 1: another step there, the old step-1 mark is reused
    c.step(1, ['T1:op'], true);
    c.enter('h');
    c.end(2);
    expect(executions(c)).toEqual({ f: 2, g: 1, h: 1 });
    expect(c.executions).toBe(2);
  });

  it('leaves out steps of an earlier, longer path that the new path did not reach', () => {
    const c = new CoverageRecorder();
    c.step(0, ['T0:op'], false);
    c.enter('a');
    c.step(1, ['T0:op'], false);
    c.step(2, ['T0:op'], false);
    c.enter('x');
    c.end(3);
    // a new execution from the root that ends after one step, though asked for 3
    c.step(0, ['T0:op'], false);
    c.enter('y');
    c.end(3);
    expect(executions(c)).toEqual({ a: 1, x: 1, y: 1 });
  });

  it('leaves out the step at the depth the execution ended at', () => {
    const c = new CoverageRecorder();
    c.step(0, ['T0:op'], false);
    c.enter('a');
    c.step(1, ['T0:op'], false);
    c.enter('b');
    c.end(1);
    expect(executions(c)).toEqual({ a: 1, b: 0 });
    expect(c.table().get('b')?.calls).toBe(1);
  });

  it('counts a race once per execution for the frames the raced thread was inside', () => {
    const c = new CoverageRecorder();
    c.step(0, ['T0:op'], false);
    c.enter('f');
    c.step(1, ['T1:op'], false);
    c.enter('g');
    c.step(2, ['T0:op', 'f'], true);
    c.step(3, ['T0:op', 'f'], true);
    c.end(4);
    expect(raced(c)).toEqual({ f: 1, g: 0 });
  });

  it('counts a call made before any step without failing', () => {
    const c = new CoverageRecorder();
    c.enter('setup');
    expect(c.table().get('setup')).toEqual({ calls: 1, executions: 0, raced: 0 });
  });
});
