import type { Command } from '../command.ts';
import { check } from './check.ts';
import { diff } from './diff.ts';
import { listOf } from './list.ts';
import { lockorder } from './lockorder.ts';
import { matrix } from './matrix.ts';
import { merge } from './merge.ts';
import { replay } from './replay.ts';
import { run } from './run.ts';
import { variant } from './variant.ts';

const list = listOf(() => COMMANDS);

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [check, replay, lockorder, diff, matrix, list, variant, run, merge];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.spec.name === name);
}
