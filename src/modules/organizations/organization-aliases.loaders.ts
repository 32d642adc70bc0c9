/**
 * Organisation aliases by organisation id. One loader per request, kept in a WeakMap keyed by the
 * request's loaders object (so it caches for that request only, like those in context.ts).
 */
import DataLoader from 'dataloader';
import type { Context } from '../../context';

const perRequest = new WeakMap<object, DataLoader<number, string[]>>();

export function aliasesLoader(ctx: Pick<Context, 'prisma' | 'loaders'>): DataLoader<number, string[]> {
  let loader = perRequest.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const rows = await ctx.prisma.organizationAlias.findMany({
        where: { organizationId: { in: [...ids] } },
        select: { organizationId: true, name: true },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      });
      const byOrganization = new Map<number, string[]>(ids.map((id) => [id, []]));
      for (const row of rows) byOrganization.get(row.organizationId)?.push(row.name);
      return ids.map((id) => byOrganization.get(id)!);
    });
    perRequest.set(ctx.loaders, loader);
  }
  return loader;
}
