/**
 * What every `--json` report shares: its format version (the overall verdict
 * is properties/check.ts overallVerdict, or the command's own). docs/schemas/<command>.schema.json
 * describes each report; a change that breaks a reader bumps JSON_FORMAT.
 */
import type { Args } from './args.ts';
import { UsageError } from './errors.ts';

/** The version of every command's `--json` report (the `format` field). */
export const JSON_FORMAT = 1;

/**
 * The output format of a command that has `--format` and also takes `--json`
 * like every other command: `--json` is `--format json`, and says so when
 * another format is asked for too.
 */
export function formatOrJson(args: Args, fallback = 'text'): string {
  const format = args.get('format');
  if (!args.has('json')) return format ?? fallback;
  if (format !== undefined && format !== 'json') throw new UsageError(`--json contradicts --format ${format}: give one of them`);
  return 'json';
}
