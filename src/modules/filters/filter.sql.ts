/**
 * MeetingFilter and OutcomeFilter as SQL conditions: the one implementation of the filters, used
 * by the meeting and outcome lists, stats, timelines and search alike. __tests__/stats.test.ts
 * checks it against an independent evaluation of the seed file (helpers/filter-oracle.ts).
 */
import { Prisma } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { parseDateBound } from '../../common/dates';
import { badUserInput } from '../../common/errors';
import { assertFilterBounds } from '../../common/limits/filter-bounds';
import { channelIds } from '../channels/channel.loaders';
import type { MeetingFilter, OutcomeFilter } from './filters.input';
import { SideClaims } from '../outcomes/asserter.enum';
import { alias, enumSet, referenceIds } from '../../db/sql';

type Deps = Pick<Context, 'loaders'>;
type Sql = Prisma.Sql;

const TRUE = Prisma.sql`TRUE`;
// Enum columns are compared as their enum type, not as text: a cast of the column would hide
// its statistics and indexes from the planner (row estimates off by 100× were measured).
const and = (parts: Sql[]) => (parts.length ? Prisma.sql`(${Prisma.join(parts, ' AND ')})` : TRUE);
const or = (parts: Sql[]) => (parts.length ? Prisma.sql`(${Prisma.join(parts, ' OR ')})` : Prisma.sql`FALSE`);
const day = (date: Date) => date.toISOString().slice(0, 10);

/** Fresh alias names for nested subqueries, so that they never shadow an outer one. */
export class Aliases {
  private next = 0;
  make(prefix: string): Sql {
    this.next += 1;
    return alias(`${prefix}${this.next}`);
  }
}

/** A meeting's period [start_date, period_end] overlaps [from, to] (partial dates span their period). */
function periodOverlap(m: Sql, range: { from?: string | null; to?: string | null }, argumentName: string): Sql[] {
  const parts: Sql[] = [];
  if (range.from != null) {
    parts.push(Prisma.sql`${m}.period_end >= ${day(parseDateBound(range.from, 'start', `${argumentName}.from`))}::date`);
  }
  if (range.to != null) {
    parts.push(Prisma.sql`${m}.start_date <= ${day(parseDateBound(range.to, 'end', `${argumentName}.to`))}::date`);
  }
  return parts;
}

/** The condition of a MeetingFilter argument on meeting alias `m`; refuses filters over the bounds. */
export function meetingFilterSql(
  deps: Deps,
  filter: MeetingFilter | null | undefined,
  m: Sql,
  aliases: Aliases,
  argumentName = 'filter',
): Promise<Sql> {
  assertFilterBounds(filter, argumentName);
  return meetingCondition(deps, filter, m, aliases, argumentName);
}

/** The condition of an OutcomeFilter argument on outcome alias `o` of meeting `m`; refuses filters over the bounds. */
export async function outcomeFilterSql(
  deps: Deps,
  filter: OutcomeFilter | null | undefined,
  o: Sql,
  m: Sql,
  aliases: Aliases,
  argumentName = 'filter',
): Promise<Sql> {
  return (await outcomeFilterCondition(deps, filter, o, m, aliases, argumentName)).condition;
}

/**
 * outcomeFilterSql, and whether the condition reads the outcome's meeting `m` at all (its period,
 * or a meeting filter, at any depth): only then must a query join meeting. Joined for nothing, a
 * count read every matching outcome's row for its meeting id (a bitmap heap scan, 160 ms at 100k
 * meetings) where the outcome's own index answers alone.
 */
export async function outcomeFilterCondition(
  deps: Deps,
  filter: OutcomeFilter | null | undefined,
  o: Sql,
  m: Sql,
  aliases: Aliases,
  argumentName = 'filter',
): Promise<{ condition: Sql; readsMeeting: boolean }> {
  assertFilterBounds(filter, argumentName);
  let readsMeeting = false;
  const meeting = () => {
    readsMeeting = true;
    return m;
  };
  const condition = await outcomeCondition(deps, filter, o, meeting, aliases, argumentName);
  return { condition, readsMeeting };
}

async function meetingCondition(
  deps: Deps,
  filter: MeetingFilter | null | undefined,
  m: Sql,
  aliases: Aliases,
  argumentName: string,
): Promise<Sql> {
  if (!filter) return TRUE;
  const parts: Sql[] = [];
  if (filter.channels != null) {
    const ids = await channelIds(deps.loaders.allChannels, filter.channels, `${argumentName}.channels`);
    parts.push(
      Prisma.sql`EXISTS (SELECT 1 FROM meeting_channel mc WHERE mc.meeting_id = ${m}.id AND mc.channel_id = ANY(${referenceIds(ids)}))`,
    );
  }
  if (filter.tracks != null) parts.push(Prisma.sql`${m}.track = ANY(${enumSet(filter.tracks, 'Track')})`);
  if (filter.kinds != null) parts.push(Prisma.sql`${m}.kind = ANY(${enumSet(filter.kinds, 'MeetingKind')})`);
  if (filter.modes != null) parts.push(Prisma.sql`${m}.mode = ANY(${enumSet(filter.modes, 'MeetingMode')})`);
  parts.push(...periodOverlap(m, filter, argumentName));
  if (filter.countryCode != null) {
    if (!/^[A-Za-z]{2}$/.test(filter.countryCode)) {
      throw badUserInput(`${argumentName}.countryCode`, `must be a two-letter ISO 3166-1 code, got "${filter.countryCode}"`);
    }
    parts.push(Prisma.sql`${m}.country_code = ${filter.countryCode.toUpperCase()}`);
  }
  if (filter.participant != null) {
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM participation p JOIN person pe ON pe.id = p.person_id
      WHERE p.meeting_id = ${m}.id AND pe.slug = ${filter.participant})`);
  }
  if (filter.host != null) {
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM host h JOIN organization org ON org.id = h.organization_id
      WHERE h.meeting_id = ${m}.id AND org.slug = ${filter.host})`);
  }
  if (filter.outcomeStatus != null) {
    parts.push(
      Prisma.sql`EXISTS (SELECT 1 FROM outcome os WHERE os.meeting_id = ${m}.id AND os.status = ANY(${enumSet(filter.outcomeStatus, 'OutcomeStatus')}))`,
    );
  }
  if (filter.uncertain != null) parts.push(Prisma.sql`${m}.uncertain = ${filter.uncertain}`);
  if (filter.outcomes != null) {
    const o = aliases.make('o');
    const condition = await outcomeCondition(deps, filter.outcomes, o, () => m, aliases, `${argumentName}.outcomes`);
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM outcome ${o} WHERE ${o}.meeting_id = ${m}.id AND ${condition})`);
  }
  if (filter.participation != null) {
    const { person, side, organization } = filter.participation;
    const p = aliases.make('p');
    const conditions = [Prisma.sql`${p}.meeting_id = ${m}.id`];
    if (person != null) conditions.push(Prisma.sql`${p}.person_id = (SELECT id FROM person WHERE slug = ${person})`);
    if (side != null) conditions.push(Prisma.sql`${p}.side = ANY(${enumSet([side], 'Side')})`);
    if (organization != null)
      conditions.push(Prisma.sql`${p}.organization_id = (SELECT id FROM organization WHERE slug = ${organization})`);
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM participation ${p} WHERE ${and(conditions)})`);
  }
  if (filter.relatedTo != null) {
    const { slug, relations, direction } = filter.relatedTo;
    const r = aliases.make('r');
    const kinds = relations == null ? TRUE : Prisma.sql`${r}.relation = ANY(${enumSet(relations, 'MeetingRelation')})`;
    const other = Prisma.sql`(SELECT id FROM meeting WHERE slug = ${slug})`;
    const outgoing = Prisma.sql`(${r}.from_meeting_id = ${m}.id AND ${r}.to_meeting_id = ${other})`;
    const incoming = Prisma.sql`(${r}.to_meeting_id = ${m}.id AND ${r}.from_meeting_id = ${other})`;
    const link = direction === 'OUTGOING' ? outgoing : direction === 'INCOMING' ? incoming : or([outgoing, incoming]);
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM meeting_relation ${r} WHERE ${link} AND ${kinds})`);
  }
  const nested = (filters: MeetingFilter[], key: string) =>
    Promise.all(filters.map((f, i) => meetingCondition(deps, f, m, aliases, `${argumentName}.${key}[${i}]`)));
  if (filter.and != null) parts.push(and(await nested(filter.and, 'and')));
  if (filter.or != null) parts.push(or(await nested(filter.or, 'or')));
  if (filter.not != null) parts.push(...(await nested(filter.not, 'not')).map((c) => Prisma.sql`NOT ${c}`));
  return and(parts);
}

/** Condition on outcome alias `o`, whose meeting is available as alias `m`. */
/** `meeting` gives the outcome's meeting alias; it is called only where the condition reads it. */
async function outcomeCondition(
  deps: Deps,
  filter: OutcomeFilter | null | undefined,
  o: Sql,
  meeting: () => Sql,
  aliases: Aliases,
  argumentName: string,
): Promise<Sql> {
  if (!filter) return TRUE;
  const parts: Sql[] = [];
  if (filter.channels != null) {
    const ids = await channelIds(deps.loaders.allChannels, filter.channels, `${argumentName}.channels`);
    parts.push(Prisma.sql`${o}.channel_id = ANY(${referenceIds(ids)})`);
  }
  if (filter.statuses != null) parts.push(Prisma.sql`${o}.status = ANY(${enumSet(filter.statuses, 'OutcomeStatus')})`);
  if (filter.from != null || filter.to != null) parts.push(...periodOverlap(meeting(), filter, argumentName));
  if (filter.fulfilled != null) {
    const exists = Prisma.sql`EXISTS (SELECT 1 FROM outcome_fulfilment f WHERE f.outcome_id = ${o}.id)`;
    parts.push(filter.fulfilled ? exists : Prisma.sql`NOT ${exists}`);
  }
  // && (overlap) is what the GIN index on asserted_by serves.
  if (filter.assertedBy != null) parts.push(Prisma.sql`${o}.asserted_by && ${enumSet(filter.assertedBy, 'Asserter')}`);
  if (filter.sideClaims != null) parts.push(sideClaimsCondition(o, filter.sideClaims));
  if (filter.meeting != null) parts.push(await meetingCondition(deps, filter.meeting, meeting(), aliases, `${argumentName}.meeting`));
  const nested = (filters: OutcomeFilter[], key: string) =>
    Promise.all(filters.map((f, i) => outcomeCondition(deps, f, o, meeting, aliases, `${argumentName}.${key}[${i}]`)));
  if (filter.and != null) parts.push(and(await nested(filter.and, 'and')));
  if (filter.or != null) parts.push(or(await nested(filter.or, 'or')));
  if (filter.not != null) parts.push(...(await nested(filter.not, 'not')).map((c) => Prisma.sql`NOT ${c}`));
  return and(parts);
}

/** How many of the two governments claim outcome `o`: a joint text counts as both. */
function sideClaimsCondition(o: Sql, claims: SideClaims): Sql {
  const us = Prisma.sql`${o}.asserted_by && ARRAY['US', 'JOINT']::"Asserter"[]`;
  const cn = Prisma.sql`${o}.asserted_by && ARRAY['CN', 'JOINT']::"Asserter"[]`;
  switch (claims) {
    case SideClaims.ONE_SIDE:
      return Prisma.sql`((${us}) <> (${cn}))`;
    case SideClaims.BOTH_SIDES:
      return Prisma.sql`((${us}) AND (${cn}))`;
    case SideClaims.NEITHER_SIDE:
      return Prisma.sql`(NOT (${us}) AND NOT (${cn}))`;
  }
}
