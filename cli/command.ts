import type { Args, CommandSpec } from './args.ts';

/** A command: its flags and help, and what it does; returns the exit code. */
export interface Command {
  readonly spec: CommandSpec;
  run(args: Args): Promise<number>;
}

/** Flags several commands share. */
export const VARIANT_FLAG = {
  name: 'variant',
  value: 'NAME|PATH',
  help: 'a built-in design (see `list variants`) or a path to a variant module',
  default: 'upstream-7.1',
} as const;

export const BOUND_FLAG = {
  name: 'bound',
  value: 'KEY=N',
  list: true,
  more: /^[a-z_]+=/,
  help: "bounds over the domain's defaults and the design's own (see `list bounds`); profile=NAME runs a fixed scenario set",
} as const;

export const FOCUS_FLAG = {
  name: 'focus',
  value: 'CMD',
  list: true,
  help: "primary-process commands to search, those the design adds included (see `list ops --variant`), or `all` (default: the design's own focus, see `list variants`)",
} as const;

export const TIME_LIMIT_FLAG = {
  name: 'time-limit',
  value: 'SECONDS',
  help: 'stop searching after this long, all searches of the run together (the result says the search was cut)',
} as const;

export const OUT_FLAG = {
  name: 'out',
  value: 'DIR',
  help: 'where new counterexample files go (never overwritten)',
  default: 'counterexamples/runs',
} as const;

export const MAX_MEMORY_FLAG = {
  name: 'max-memory',
  value: 'MB',
  help: 'stop searching (the result says the search was cut) once the heap holds this much',
  default: "three quarters of Node's heap limit",
} as const;

export const STEP_LIMIT_FLAG = {
  name: 'step-limit',
  value: 'SECONDS',
  help: 'a step of design code that runs this long without returning is a broken design (exit 2), with or without --time-limit',
  default: '10',
} as const;

export const WIDTH_FLAG = {
  name: 'width',
  value: 'N',
  help: "columns the threads view and the page's thread lanes fit in, wrapped between tokens only (at least 40)",
  default: "the terminal's, else 100",
} as const;
