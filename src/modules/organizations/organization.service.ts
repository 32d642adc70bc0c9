import type { Organization as OrganizationRow, Prisma } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { encodeCursor, keysetWhere, pageRequest, toConnection, type ForwardPageArgs, type SortKey } from '../../common/pagination';

export type { OrganizationRow };
type Deps = Pick<Context, 'prisma'>;
const KEYS: SortKey[] = [{ path: ['name'], desc: false }, { path: ['id'], desc: false }];

/** Organisations by name, A to Z; `search` matches any part of the name, ignoring case. */
export async function listOrganizations(deps: Deps, args: Partial<ForwardPageArgs> & { search?: string | null }) {
  const page = pageRequest(args, 'organizations', KEYS.length);
  const where: Prisma.OrganizationWhereInput = args.search ? { name: { contains: args.search, mode: 'insensitive' } } : {};
  const rows = await deps.prisma.organization.findMany({
    where: page.cursor ? { AND: [where, keysetWhere(KEYS, page.cursor, false)] } : where,
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: page.take + 1,
  });
  return toConnection(
    rows,
    page,
    (row) => encodeCursor('organizations', [row.name, row.id]),
    () => deps.prisma.organization.count({ where }),
  );
}

export function organizationBySlug(deps: Deps, slug: string): Promise<OrganizationRow | null> {
  return deps.prisma.organization.findUnique({ where: { slug } });
}
