/** The coverage recorder keeps a backtracking search's executions apart: a restored prefix keeps exactly its own steps. */
import { expect, it } from 'vitest';
import { CoverageRecorder, operationKey } from '../../checker/coverage.ts';

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

it('counts an operation under its own key (a function may share its name), raced when another thread ran inside it', () => {
  const c = new CoverageRecorder();
  // the operation close starts and enters a function named close too; its next step comes after another thread's
  c.step(0, [], false);
  c.operation('close');
  c.enter('close');
  c.step(1, ['close'], true);
  c.end(2);
  // a branch where it runs to its end unraced
  c.step(1, ['close'], false);
  c.end(2);
  expect(Object.fromEntries(c.table())).toEqual({
    [operationKey('close')]: { calls: 1, executions: 2, raced: 1 },
    close: { calls: 1, executions: 2, raced: 0 },
  });
});
