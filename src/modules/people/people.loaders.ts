import type { PrismaClient } from '../../generated/prisma/client';
import { countLoader, groupLoader, limitedGroupLoader, rowLoader } from '../../common/loader';
import { rowLimit } from '../../db/sql';

const PARTICIPATION_INCLUDE = { person: true, organization: true } as const;

export function createPeopleLoaders(prisma: PrismaClient) {
  return {
    personById: rowLoader((ids) => prisma.person.findMany({ where: { id: { in: [...ids] } } })),
    participationsByMeeting: groupLoader(
      (meetingIds) =>
        prisma.participation.findMany({
          where: { meetingId: { in: [...meetingIds] } },
          // Loaded with the participations rather than through per-tick loaders, so the number
          // of statements does not depend on how resolvers happen to interleave.
          include: PARTICIPATION_INCLUDE,
          relationLoadStrategy: 'join',
          orderBy: [{ meetingId: 'asc' }, { position: 'asc' }],
        }),
      (p) => p.meetingId,
    ),
    /** A person's first `limit` participations, oldest meeting first. */
    participationsByPerson: limitedGroupLoader(
      async (personIds, limit) => {
        const kept = await prisma.$queryRaw<{ id: number }[]>`SELECT id FROM (
            SELECT p.id, row_number() OVER (PARTITION BY p.person_id ORDER BY m.start_date, p.id) AS n
            FROM participation p JOIN meeting m ON m.id = p.meeting_id
            WHERE p.person_id = ANY(${[...personIds]}::int[])) ranked
          WHERE n <= ${rowLimit(limit)}`;
        return prisma.participation.findMany({
          where: { id: { in: kept.map((row) => row.id) } },
          include: PARTICIPATION_INCLUDE,
          relationLoadStrategy: 'join',
          orderBy: [{ meeting: { startDate: 'asc' } }, { id: 'asc' }],
        });
      },
      (p) => p.personId!,
    ),
    participationCountByPerson: countLoader(
      (personIds) => prisma.$queryRaw<{ id: number; n: number }[]>`SELECT person_id AS id, count(*)::int AS n
        FROM participation WHERE person_id = ANY(${[...personIds]}::int[]) GROUP BY person_id`,
    ),
  };
}
