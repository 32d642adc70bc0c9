import type { PrismaClient } from '../../generated/prisma/client';
import { groupLoader, rowLoader } from '../../common/loader';

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
    participationsByPerson: groupLoader(
      (personIds) =>
        prisma.participation.findMany({
          where: { personId: { in: [...personIds] } },
          include: PARTICIPATION_INCLUDE,
          relationLoadStrategy: 'join',
          orderBy: [{ meeting: { startDate: 'asc' } }, { id: 'asc' }],
        }),
      (p) => p.personId!,
    ),
  };
}
