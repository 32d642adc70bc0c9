/**
 * People and organisations are listed the same way: by name A to Z, paged by (name, id),
 * optionally narrowed to names containing a search string.
 */
import { encodeCursor, keysetWhere, pageRequest, toConnection, type Connection, type ForwardPageArgs, type SortKey } from './pagination';

const KEYS: SortKey[] = [{ path: ['name'], desc: false, type: 'text' }, { path: ['id'], desc: false, type: 'int' }];

interface NamedDelegate<R> {
  findMany(args: { where: object; orderBy: object[]; take: number }): Promise<R[]>;
  count(args: { where: object }): Promise<number>;
}

export async function listByName<R extends { id: number; name: string }>(
  delegate: NamedDelegate<R>,
  listName: string,
  args: Partial<ForwardPageArgs> & { search?: string | null },
): Promise<Connection<R>> {
  const page = pageRequest(args, listName, KEYS.length);
  const where = args.search ? { name: { contains: args.search, mode: 'insensitive' } } : {};
  const rows = await delegate.findMany({
    where: page.cursor ? { AND: [where, keysetWhere(KEYS, page.cursor, false)] } : where,
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: page.take + 1,
  });
  return toConnection(rows, page, (row) => encodeCursor(listName, [row.name, row.id]), () => delegate.count({ where }));
}
