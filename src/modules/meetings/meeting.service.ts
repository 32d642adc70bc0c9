/**
 * Reading meetings: filters, ordering and keyset pages. Resolvers call these; nothing else in
 * the meetings module touches Prisma.
 */
import type { Meeting as MeetingRow, Prisma } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { parseDateBound } from '../../common/dates';
import { badUserInput } from '../../common/errors';
import { encodeCursor, keysetWhere, pageRequest, toConnection, type Connection, type PageArgs, type SortKey } from '../../common/pagination';
import { channelIds } from '../channels/channel.loaders';
import { outcomeWhere } from '../outcomes/outcome.service';
import type { MeetingFilter } from './meeting-filter.input';
import { MeetingOrder, ORDER_KEYS } from './meeting-order.enum';
import { prefetchMeetingParts, type MeetingPart } from './meeting-prefetch';

export type { MeetingRow };
type Deps = Pick<Context, 'prisma' | 'loaders'>;

export interface MeetingListArgs extends Partial<PageArgs> {
  filter?: MeetingFilter | null;
  orderBy?: MeetingOrder[] | null;
  /** Parts of each meeting the query selects, read for the whole page at once. */
  prefetch?: Set<MeetingPart>;
}

/** The Prisma condition for a MeetingFilter; argument errors name `${argumentName}.<field>`. */
export async function meetingWhere(
  deps: Deps,
  filter: MeetingFilter | null | undefined,
  argumentName = 'filter',
): Promise<Prisma.MeetingWhereInput> {
  if (!filter) return {};
  const and: Prisma.MeetingWhereInput[] = [];
  if (filter.channels != null) {
    const ids = await channelIds(deps.loaders.allChannels, filter.channels, (slug, known) => {
      throw badUserInput(`${argumentName}.channels`, `unknown channel "${slug}"; known channels: ${known.join(', ')}`);
    });
    and.push({ channels: { some: { channelId: { in: ids } } } });
  }
  if (filter.tracks != null) and.push({ track: { in: filter.tracks } });
  if (filter.kinds != null) and.push({ kind: { in: filter.kinds } });
  if (filter.modes != null) and.push({ mode: { in: filter.modes } });
  // Overlap of [startDate, periodEnd] with [from, to]: a month-precision meeting spans its month.
  if (filter.from != null) and.push({ periodEnd: { gte: parseDateBound(filter.from, 'start', `${argumentName}.from`) } });
  if (filter.to != null) and.push({ startDate: { lte: parseDateBound(filter.to, 'end', `${argumentName}.to`) } });
  if (filter.countryCode != null) {
    if (!/^[A-Za-z]{2}$/.test(filter.countryCode)) {
      throw badUserInput(`${argumentName}.countryCode`, `must be a two-letter ISO 3166-1 code, got "${filter.countryCode}"`);
    }
    and.push({ countryCode: filter.countryCode.toUpperCase() });
  }
  if (filter.participant != null) and.push({ participations: { some: { person: { slug: filter.participant } } } });
  if (filter.host != null) and.push({ hosts: { some: { organization: { slug: filter.host } } } });
  if (filter.outcomeStatus != null) and.push({ outcomes: { some: { status: { in: filter.outcomeStatus } } } });
  if (filter.uncertain != null) and.push({ uncertain: filter.uncertain });
  if (filter.outcomes != null) {
    and.push({ outcomes: { some: await outcomeWhere(deps, filter.outcomes, `${argumentName}.outcomes`) } });
  }
  if (filter.participation != null) {
    const { person, side, organization } = filter.participation;
    and.push({
      participations: {
        some: {
          ...(person != null && { person: { slug: person } }),
          ...(side != null && { side }),
          ...(organization != null && { organization: { slug: organization } }),
        },
      },
    });
  }
  if (filter.relatedTo != null) {
    const { slug, relations, direction } = filter.relatedTo;
    const kinds = relations == null ? {} : { relation: { in: relations } };
    const outgoing: Prisma.MeetingWhereInput = { relatedFrom: { some: { ...kinds, to: { slug } } } };
    const incoming: Prisma.MeetingWhereInput = { relatedTo: { some: { ...kinds, from: { slug } } } };
    and.push(direction === 'OUTGOING' ? outgoing : direction === 'INCOMING' ? incoming : { OR: [outgoing, incoming] });
  }
  const nested = (filters: MeetingFilter[], key: string) =>
    Promise.all(filters.map((f, i) => meetingWhere(deps, f, `${argumentName}.${key}[${i}]`)));
  if (filter.and != null) and.push({ AND: await nested(filter.and, 'and') });
  if (filter.or != null) and.push({ OR: await nested(filter.or, 'or') });
  if (filter.not != null) and.push({ NOT: await nested(filter.not, 'not') });
  return { AND: and };
}

export async function listMeetings(
  deps: Deps,
  args: MeetingListArgs,
  scope: Prisma.MeetingWhereInput = {},
): Promise<Connection<MeetingRow>> {
  const orders = [...new Set(args.orderBy?.length ? args.orderBy : [MeetingOrder.START_DATE_DESC])];
  const fields = new Set<string>();
  const keys: SortKey[] = orders
    .map((order) => ORDER_KEYS[order])
    .filter((key) => !fields.has(key.field) && fields.add(key.field))
    .map((key) => ({ path: [key.field], desc: key.desc, date: key.field === 'startDate' }));
  keys.push({ path: ['id'], desc: keys[0].desc });
  const signature = `meetings:${orders.join(',')}`;
  const page = pageRequest(args, signature, keys.length);

  const where: Prisma.MeetingWhereInput = { AND: [scope, await meetingWhere(deps, args.filter)] };
  const rows = await deps.prisma.meeting.findMany({
    where: page.cursor ? { AND: [where, keysetWhere(keys, page.cursor, page.backward)] } : where,
    orderBy: keys.map((key) => ({ [key.path[0]]: key.desc !== page.backward ? 'desc' : 'asc' })),
    take: page.take + 1,
  });
  if (args.prefetch) await prefetchMeetingParts(deps, rows.slice(0, page.take).map((row) => row.id), args.prefetch);
  const cursorOf = (row: MeetingRow) =>
    encodeCursor(
      signature,
      keys.map((key) => {
        const value = row[key.path[0] as 'startDate' | 'title' | 'id'];
        return value instanceof Date ? value.toISOString() : value;
      }),
    );
  return toConnection(rows, page, cursorOf, () => deps.prisma.meeting.count({ where }));
}

export function meetingBySlug(deps: Deps, slug: string): Promise<MeetingRow | null> {
  return deps.prisma.meeting.findUnique({ where: { slug } });
}
