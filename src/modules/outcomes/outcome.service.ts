import type { Outcome as OutcomeRow, Prisma } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { parseDateBound } from '../../common/dates';
import { badUserInput } from '../../common/errors';
import { encodeCursor, keysetWhere, pageRequest, toConnection, type Connection, type PageArgs, type SortKey } from '../../common/pagination';
import { channelIds } from '../channels/channel.loaders';
import { meetingWhere } from '../meetings/meeting.service';
import type { OutcomeFilter } from './outcome-filter.input';

export type { OutcomeRow };
type Deps = Pick<Context, 'prisma' | 'loaders'>;
type OutcomeWithDate = OutcomeRow & { meeting: { startDate: Date } };

// Newest meeting first; within a meeting, the order its record lists the outcomes.
const KEYS: SortKey[] = [
  { path: ['meeting', 'startDate'], desc: true, date: true },
  { path: ['meetingId'], desc: true },
  { path: ['position'], desc: false },
];

export async function outcomeWhere(
  deps: Deps,
  filter: OutcomeFilter | null | undefined,
  argumentName = 'filter',
): Promise<Prisma.OutcomeWhereInput> {
  if (!filter) return {};
  const and: Prisma.OutcomeWhereInput[] = [];
  if (filter.channels != null) {
    const ids = await channelIds(deps.loaders.allChannels, filter.channels, (slug, known) => {
      throw badUserInput(`${argumentName}.channels`, `unknown channel "${slug}"; known channels: ${known.join(', ')}`);
    });
    and.push({ channelId: { in: ids } });
  }
  if (filter.statuses != null) and.push({ status: { in: filter.statuses } });
  if (filter.from != null) and.push({ meeting: { periodEnd: { gte: parseDateBound(filter.from, 'start', `${argumentName}.from`) } } });
  if (filter.to != null) and.push({ meeting: { startDate: { lte: parseDateBound(filter.to, 'end', `${argumentName}.to`) } } });
  if (filter.fulfilled != null) and.push({ fulfilments: filter.fulfilled ? { some: {} } : { none: {} } });
  if (filter.meeting != null) and.push({ meeting: await meetingWhere(deps, filter.meeting, `${argumentName}.meeting`) });
  const nested = (filters: OutcomeFilter[], key: string) =>
    Promise.all(filters.map((f, i) => outcomeWhere(deps, f, `${argumentName}.${key}[${i}]`)));
  if (filter.and != null) and.push({ AND: await nested(filter.and, 'and') });
  if (filter.or != null) and.push({ OR: await nested(filter.or, 'or') });
  if (filter.not != null) and.push({ NOT: await nested(filter.not, 'not') });
  return { AND: and };
}

export async function listOutcomes(
  deps: Deps,
  args: Partial<PageArgs> & { filter?: OutcomeFilter | null },
  scope: Prisma.OutcomeWhereInput = {},
): Promise<Connection<OutcomeRow>> {
  const signature = 'outcomes';
  const page = pageRequest(args, signature, KEYS.length);
  const where: Prisma.OutcomeWhereInput = { AND: [scope, await outcomeWhere(deps, args.filter)] };
  const flip = (desc: boolean) => (desc !== page.backward ? 'desc' : 'asc');
  const rows: OutcomeWithDate[] = await deps.prisma.outcome.findMany({
    where: page.cursor ? { AND: [where, keysetWhere(KEYS, page.cursor, page.backward)] } : where,
    orderBy: [{ meeting: { startDate: flip(true) } }, { meetingId: flip(true) }, { position: flip(false) }],
    include: { meeting: { select: { startDate: true } } },
    take: page.take + 1,
  });
  const cursorOf = (row: OutcomeWithDate) =>
    encodeCursor(signature, [row.meeting.startDate.toISOString(), row.meetingId, row.position]);
  return toConnection(rows, page, cursorOf, () => deps.prisma.outcome.count({ where }));
}
