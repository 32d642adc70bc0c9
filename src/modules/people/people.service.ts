import type { Person as PersonRow, Prisma } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { encodeCursor, keysetWhere, pageRequest, toConnection, type ForwardPageArgs, type SortKey } from '../../common/pagination';

export type { PersonRow };
type Deps = Pick<Context, 'prisma'>;
const KEYS: SortKey[] = [{ path: ['name'], desc: false }, { path: ['id'], desc: false }];

/** People by name, A to Z; `search` matches any part of the name, ignoring case. */
export async function listPeople(deps: Deps, args: Partial<ForwardPageArgs> & { search?: string | null }) {
  const page = pageRequest(args, 'people', KEYS.length);
  const where: Prisma.PersonWhereInput = args.search ? { name: { contains: args.search, mode: 'insensitive' } } : {};
  const rows = await deps.prisma.person.findMany({
    where: page.cursor ? { AND: [where, keysetWhere(KEYS, page.cursor, false)] } : where,
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: page.take + 1,
  });
  return toConnection(rows, page, (row) => encodeCursor('people', [row.name, row.id]), () => deps.prisma.person.count({ where }));
}

export function personBySlug(deps: Deps, slug: string): Promise<PersonRow | null> {
  return deps.prisma.person.findUnique({ where: { slug } });
}
