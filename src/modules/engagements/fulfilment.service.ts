/**
 * Which later meetings fulfilled which planned or agreed outcomes (`outcome_fulfilment`). The
 * table is derived, never edited, and kept current by every write for the meetings it wrote:
 * - RELATION: meeting B `implements_outcome_of` meeting A and touches the outcome's channel;
 * - NOTE: the outcome's note cites another meeting's id ("see 2014-11-11-obama-beijing"), and
 *   that meeting starts on or after the outcome's own ("later").
 *
 * A row (outcome of meeting A, meeting B) depends only on A (its outcomes' status, note and
 * channel, its start date) and on B (the relations stated from it, its channels, its slug, its
 * start date). So a write of the meetings W recomputes exactly the rows with A or B in W, and
 * leaves the others, which it cannot have made wrong, alone: writers of different meetings no
 * longer rewrite each other's rows (rebuilding the whole table on every write made concurrent
 * writers collide on its primary key).
 *
 * Concurrent writers: each takes lockFulfilments before it touches the table. Without it, when A
 * and B are written at once, each writer would recompute a row depending on both from the
 * other's old data, its change not being committed yet. With it, under READ COMMITTED, every
 * statement after the lock sees every write committed before the lock was granted, so the writer
 * that gets the lock last recomputes the row from both changes.
 */
import { Prisma, type PrismaClient } from '../../generated/prisma/client';

type Tx = Prisma.TransactionClient;
type Db = PrismaClient | Tx;

/**
 * The key of the transaction-level advisory lock that serialises the maintenance of
 * outcome_fulfilment (and the writes that must not interleave with it; see engagement.writer.ts).
 * Any fixed number no other code of this database locks: it spells "fulf" in ASCII.
 */
export const FULFILMENT_LOCK_KEY = 0x66756c66;

/** Waits for the fulfilment lock; it is held until the transaction commits or rolls back. */
export async function lockFulfilments(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FULFILMENT_LOCK_KEY}::bigint)`;
}

export interface FulfilmentRow {
  outcome_id: number;
  meeting_id: number;
  basis: 'RELATION' | 'NOTE';
}

const PLANNED_OR_AGREED = Prisma.sql`o.status IN ('PLANNED', 'AGREED')`;

/** RELATION links whose rows also satisfy `scope`. */
const relationLinks = (scope: Prisma.Sql) => Prisma.sql`
  SELECT o.id AS outcome_id, r.from_meeting_id AS meeting_id, 'RELATION'::"FulfilmentBasis" AS basis
  FROM outcome o
  JOIN meeting_relation r ON r.to_meeting_id = o.meeting_id AND r.relation = 'IMPLEMENTS_OUTCOME_OF'
  JOIN meeting_channel mc ON mc.meeting_id = r.from_meeting_id AND mc.channel_id = o.channel_id
  WHERE ${PLANNED_OR_AGREED} AND ${scope}`;

/**
 * NOTE links whose rows also satisfy `scope`. The regular expression's backslashes are doubled:
 * a tagged template hands Prisma.sql its cooked strings, in which an unknown escape such as \d
 * loses its backslash (it once did, and the pattern never matched).
 */
const noteLinks = (scope: Prisma.Sql) => Prisma.sql`
  SELECT o.id AS outcome_id, cited.id AS meeting_id, 'NOTE'::"FulfilmentBasis" AS basis
  FROM outcome o
  JOIN meeting om ON om.id = o.meeting_id
  CROSS JOIN LATERAL regexp_matches(o.note, '\\m(\\d{4}-\\d{2}(?:-\\d{2})?-[a-z0-9-]*[a-z0-9])', 'g') AS m(slug)
  JOIN meeting cited ON cited.slug = m.slug[1] AND cited.id <> o.meeting_id AND cited.start_date >= om.start_date
  WHERE ${PLANNED_OR_AGREED} AND ${scope}`;

/**
 * Every fulfilment row the definition gives — all of them, or only those whose outcome's meeting
 * or fulfilling meeting is in `meetingIds`. One row per (outcome, meeting): RELATION wins over
 * NOTE. The scoped form is a union of one branch per side rather than an OR, so that each branch
 * can start from its meetings' indexes.
 */
function fulfilmentLinks(meetingIds?: number[]): Prisma.Sql {
  const branches =
    meetingIds === undefined
      ? [relationLinks(Prisma.sql`TRUE`), noteLinks(Prisma.sql`TRUE`)]
      : [
          relationLinks(Prisma.sql`o.meeting_id = ANY(${meetingIds}::int[])`),
          relationLinks(Prisma.sql`r.from_meeting_id = ANY(${meetingIds}::int[])`),
          noteLinks(Prisma.sql`o.meeting_id = ANY(${meetingIds}::int[])`),
          noteLinks(Prisma.sql`cited.id = ANY(${meetingIds}::int[])`),
        ];
  return Prisma.sql`SELECT DISTINCT ON (outcome_id, meeting_id) outcome_id, meeting_id, basis
    FROM (${Prisma.join(branches, ' UNION ALL ')}) AS links
    ORDER BY outcome_id, meeting_id, basis`;
}

/**
 * Recomputes the fulfilments that involve the meetings written (`meetingIds`: as outcome's
 * meeting or as fulfilling meeting). Takes the fulfilment lock first (again, if the writer
 * already holds it: the lock is re-entrant); call it after the transaction's last write to
 * outcomes, relations, channels or meetings.
 *
 * Deleted meetings need no call: the foreign keys' cascades remove every row that involved them,
 * and no other row depended on them.
 */
export async function refreshFulfilments(tx: Tx, meetingIds: number[]): Promise<void> {
  if (meetingIds.length === 0) return;
  await lockFulfilments(tx);
  await tx.$executeRaw`DELETE FROM outcome_fulfilment f
    WHERE f.meeting_id = ANY(${meetingIds}::int[])
       OR f.outcome_id IN (SELECT o.id FROM outcome o WHERE o.meeting_id = ANY(${meetingIds}::int[]))`;
  // Nothing else can hold a row of this scope (the lock is held and it was just emptied): DO
  // NOTHING is a guard, not a path the data takes.
  await tx.$executeRaw`INSERT INTO outcome_fulfilment (outcome_id, meeting_id, basis)
    ${fulfilmentLinks(meetingIds)}
    ON CONFLICT DO NOTHING`;
}

/**
 * The whole table as the definition gives it now, ordered by outcome and meeting: what
 * outcome_fulfilment must hold once every write has committed (tests compare the two).
 */
export function computeFulfilments(db: Db): Promise<FulfilmentRow[]> {
  return db.$queryRaw<FulfilmentRow[]>`SELECT outcome_id, meeting_id, basis::text AS basis FROM (${fulfilmentLinks()}) AS f
    ORDER BY outcome_id, meeting_id`;
}
