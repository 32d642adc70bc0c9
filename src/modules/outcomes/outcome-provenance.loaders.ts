/**
 * An outcome's provenance, read by outcome id. The loader lives beside its resolver rather than in
 * context.ts's list: one per request, kept in a WeakMap keyed by the request's loaders object, so
 * it caches for that request only, as the others do.
 */
import DataLoader from 'dataloader';
import type { Asserter } from '../../generated/prisma/enums';
import type { Context } from '../../context';

export interface OutcomeProvenance {
  id: number;
  meetingId: number;
  assertedBy: Asserter[];
  sourcePositions: number[];
}

const perRequest = new WeakMap<object, DataLoader<number, OutcomeProvenance | null>>();

export function provenanceLoader(ctx: Pick<Context, 'prisma' | 'loaders'>): DataLoader<number, OutcomeProvenance | null> {
  let loader = perRequest.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const rows = await ctx.prisma.outcome.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, meetingId: true, assertedBy: true, sourcePositions: true },
      });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    perRequest.set(ctx.loaders, loader);
  }
  return loader;
}
