import type { Change as ChangeRow, Prisma } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { badUserInput } from '../../common/errors';
import { encodeCursor, keysetWhere, pageRequest, toConnection, type ForwardPageArgs, type SortKey } from '../../common/pagination';
import type { ChangeFilter } from './curation.types';

const KEYS: SortKey[] = [{ path: ['id'], desc: true, type: 'int' }];

function instant(value: string, argumentName: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw badUserInput(argumentName, `must be an ISO 8601 date or time, got "${value}"`);
  return date;
}

/** The audit trail, newest first. */
export async function listChanges(deps: Pick<Context, 'prisma'>, args: Partial<ForwardPageArgs> & { filter?: ChangeFilter | null }) {
  const page = pageRequest(args, 'changes', KEYS.length);
  const f = args.filter ?? {};
  const where: Prisma.ChangeWhereInput = {
    ...(f.recordSlug != null && { recordSlug: f.recordSlug }),
    ...(f.actor != null && { actor: f.actor }),
    at: {
      ...(f.from != null && { gte: instant(f.from, 'filter.from') }),
      ...(f.to != null && { lt: instant(f.to, 'filter.to') }),
    },
  };
  const rows = await deps.prisma.change.findMany({
    where: page.cursor ? { AND: [where, keysetWhere(KEYS, page.cursor, false)] } : where,
    orderBy: { id: 'desc' },
    take: page.take + 1,
  });
  return toConnection(rows, page, (row: ChangeRow) => encodeCursor('changes', [row.id]), () => deps.prisma.change.count({ where }));
}
