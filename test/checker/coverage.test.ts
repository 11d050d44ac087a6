/** The coverage recorder keeps a backtracking search's executions apart: a restored prefix keeps exactly its own steps. */
import { expect, it } from 'vitest';
import { CoverageRecorder } from '../../checker/coverage.ts';

it('counts calls, executions that reached a function, and executions in which its window was raced', () => {
  const c = new CoverageRecorder();
  // execution 1: a enters at step 0; step 1 resumes a after another thread ran (raced); b enters at step 2
  c.step(0, [], false);
  c.enter('a');
  c.step(1, ['op', 'a'], true);
  c.step(2, [], false);
  c.enter('b');
  c.end(3);
  // back to the prefix of one step (a entered, not raced yet): the branch resumes a without a race
  c.step(1, ['op', 'a'], false);
  c.end(2);
  expect(c.executions).toBe(2);
  expect(Object.fromEntries(c.table())).toEqual({
    a: { calls: 1, executions: 2, raced: 1 },
    b: { calls: 1, executions: 1, raced: 0 },
  });
});
