import { badUserInput } from './errors';
import { fromGlobalId, type NodeTypeName } from './global-id';

/**
 * The `meeting`/`person`/`organization` lookups: by global id or by slug, null when nothing
 * matches (API.md). Given both, the record must match both.
 */
export async function lookupByIdOrSlug<R extends { slug: string }>(
  type: NodeTypeName,
  args: { id?: string | null; slug?: string | null },
  byId: (id: number) => Promise<R | null>,
  bySlug: (slug: string) => Promise<R | null>,
): Promise<R | null> {
  const { id, slug } = args;
  if (id == null && slug == null) throw badUserInput('id', 'give an id or a slug');
  if (id == null) return bySlug(slug!);
  const decoded = fromGlobalId(id);
  if (decoded?.type !== type) return null;
  const row = await byId(decoded.id);
  return row && (slug == null || row.slug === slug) ? row : null;
}
