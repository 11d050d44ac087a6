import { watchedReturns } from '../model/bind.ts';

/** Asks the model to report the returns of these kernel functions as `return` events. */
export function watch(...fns: string[]): void {
  for (const f of fns) watchedReturns.add(f);
}
