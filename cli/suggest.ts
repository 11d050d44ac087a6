/** "Did you mean": the nearest valid name to a mistyped one, when it is near enough to be what was meant. */
import { closest, distance } from 'fastest-levenshtein';

/**
 * ` (did you mean "X"?)` for the candidate nearest to `word`, or '' when none
 * is within a third of the word's length (at least one edit): a guess further
 * off would mislead more than the full list that follows it helps.
 */
export function didYouMean(word: string, candidates: readonly string[]): string {
  if (candidates.length === 0 || candidates.includes(word)) return '';
  const best = closest(word, [...candidates]);
  return distance(word, best) <= Math.max(1, Math.floor(word.length / 3)) ? ` (did you mean "${best}"?)` : '';
}
