/**
 * Bounds on a filter argument (MeetingFilter, OutcomeFilter), checked before it is compiled to
 * SQL. Every condition becomes a predicate PostgreSQL evaluates per row, and relation filters
 * (`outcomes`, `meeting`, `participation`) become nested EXISTS subqueries: a filter nested 60
 * levels deep ran for 20 s, 150 levels for minutes, and an `or` of 70,000 conditions ran out of
 * bind parameters (PostgreSQL takes 65,535) after 17 s. So, at most:
 * - MAX_FILTER_DEPTH levels of `and`/`or`/`not` and relation filters;
 * - MAX_FILTER_CONDITIONS conditions in all (each set field counts one);
 * - MAX_FILTER_LIST values in any one list (there are 20 channels; enums are shorter).
 * Each condition takes at most a few bind parameters, so a filter within these bounds stays far
 * below PostgreSQL's limit.
 */
import { badUserInput } from '../errors';

export const MAX_FILTER_DEPTH = 5;
export const MAX_FILTER_CONDITIONS = 100;
export const MAX_FILTER_LIST = 50;

/** Fields that hold a nested filter (or a list of them) rather than a condition value. */
const NESTED = new Set(['and', 'or', 'not', 'outcomes', 'meeting', 'participation', 'relatedTo']);

export function assertFilterBounds(filter: unknown, argumentName: string): void {
  if (filter == null) return;
  let conditions = 0;
  const stack: { value: Record<string, unknown>; path: string; depth: number }[] = [
    { value: filter as Record<string, unknown>, path: argumentName, depth: 1 },
  ];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (depth > MAX_FILTER_DEPTH)
      throw badUserInput(path, `filters may nest at most ${MAX_FILTER_DEPTH} levels (and/or/not and relation filters)`);
    for (const [key, child] of Object.entries(value)) {
      if (child == null) continue;
      const at = `${path}.${key}`;
      if (Array.isArray(child) && child.length > MAX_FILTER_LIST) {
        throw badUserInput(at, `holds ${child.length} items; the limit is ${MAX_FILTER_LIST}`);
      }
      if (NESTED.has(key) && typeof child === 'object') {
        const nested = Array.isArray(child) ? child : [child];
        nested.forEach((item, index) => {
          if (item !== null && typeof item === 'object') {
            stack.push({ value: item as Record<string, unknown>, path: Array.isArray(child) ? `${at}[${index}]` : at, depth: depth + 1 });
          }
        });
        continue;
      }
      conditions += 1;
      if (conditions > MAX_FILTER_CONDITIONS)
        throw badUserInput(argumentName, `a filter may hold at most ${MAX_FILTER_CONDITIONS} conditions`);
    }
  }
}
