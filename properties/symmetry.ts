/**
 * The symmetry reduction of a check (`check --symmetry`, checker/symmetry.ts):
 * each scenario's interchangeable threads, from the roles the domain declares
 * symmetric, and why a check cannot take it.
 */
import type { Scenario } from '../checker/scenario.ts';
import { threadCounts } from '../checker/space.ts';
import { MAX_PERMUTATIONS, permutationBound, type SymmetryGroup, symmetryGroups, symmetryProblem } from '../checker/symmetry.ts';
import type { BoundValues, Domain } from '../model/domain.ts';

/** Each scenario's groups: the threads (role + index) of a symmetric role with equal operations. */
export function symmetryOf(domain: Domain, bounds: BoundValues, focus?: readonly string[]): (s: Scenario) => readonly SymmetryGroup[] {
  const roles = domain.space(bounds, focus).roles;
  return (s) => symmetryGroups(roles, s);
}

/**
 * One line saying why the search cannot take the reduction, or null: a
 * scenario with more permutations than the cap. For the bounds' space the
 * worst case is every thread of a symmetric role in one group (they run equal
 * operations whenever the role's operations do not depend on the index).
 */
export function symmetryRefusal(
  domain: Domain,
  bounds: BoundValues,
  scenarios: readonly Scenario[] | null,
  focus?: readonly string[],
): string | null {
  if (scenarios) {
    const groups = symmetryOf(domain, bounds, focus);
    for (const s of scenarios) {
      const problem = symmetryProblem(groups(s));
      if (problem) return problem;
    }
    return null;
  }
  const search = domain.searchBounds(bounds);
  const n = permutationBound(domain.space(bounds, focus).roles, (r) => threadCounts(r, search).max);
  return n > MAX_PERMUTATIONS
    ? `--symmetry: up to ${n} permutations of interchangeable threads at this bound, more than ${MAX_PERMUTATIONS} (fewer threads per symmetric role)`
    : null;
}
