/**
 * Every list field declares how many items it can hold, so that an operation's cost is a real
 * upper bound on the objects it can produce (cost.ts). Two ways:
 * - a list whose size is capped where it is written (a meeting's participants, say: the write
 *   path refuses more) declares that cap with `@Extensions(bounded(cap))`;
 * - a list that grows with the data (a person's participations) takes a `limit` argument, with a
 *   default and a documented maximum (`limitArgument`), and never returns more.
 * A schema test fails for any list field that does neither.
 */
import { badUserInput } from '../errors';

/** Field extension naming the most items the list can hold. */
export const MAX_ITEMS = 'maxItems';
/** Field extension: the list holds one item per element of this argument, when it is given. */
export const ITEMS_PER_ARGUMENT = 'itemsPerArgument';

export function bounded(maxItems: number, itemsPerArgument?: string): Record<string, unknown> {
  return itemsPerArgument ? { [MAX_ITEMS]: maxItems, [ITEMS_PER_ARGUMENT]: itemsPerArgument } : { [MAX_ITEMS]: maxItems };
}

export interface ListLimit {
  default: number;
  max: number;
}

/** Lists that grow with the data, read through a `limit` argument. */
export const LIST_LIMITS = {
  participations: { default: 100, max: 1_000 },
  hosted: { default: 100, max: 1_000 },
  related: { default: 50, max: 200 },
  fulfilledBy: { default: 10, max: 100 },
  timelineEvents: { default: 500, max: 5_000 },
  statsBuckets: { default: 1_000, max: 10_000 },
} as const satisfies Record<string, ListLimit>;

/** The `limit` argument's description, stating the default and maximum. */
export function limitDescription(limit: ListLimit, noun: string): string {
  return `Return at most this many ${noun} (1–${limit.max}; default ${limit.default}).`;
}

/** The limit asked for, refused outside 1…max. */
export function listLimit(value: number | null | undefined, limit: ListLimit, argumentName = 'limit'): number {
  const n = value ?? limit.default;
  if (!Number.isInteger(n) || n < 1 || n > limit.max) throw badUserInput(argumentName, `must be between 1 and ${limit.max}, got ${n}`);
  return n;
}
