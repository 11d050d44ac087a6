/**
 * What every `--json` report shares: its format version, and the overall
 * verdict where a command has one. docs/schemas/<command>.schema.json
 * describes each report; a change that breaks a reader bumps JSON_FORMAT.
 */

/** The version of every command's `--json` report (the `format` field). */
export const JSON_FORMAT = 1;

/** The overall verdict: a cut search that found nothing proves nothing, so it is `incomplete`, not `pass`. */
export type Verdict = 'pass' | 'fail' | 'incomplete';

export function overallVerdict(failed: boolean, complete: boolean): Verdict {
  if (failed) return 'fail';
  return complete ? 'pass' : 'incomplete';
}
