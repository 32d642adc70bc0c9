import type { PrismaClient } from '../../generated/prisma/client';
import { groupLoader, rowLoader } from '../../common/loader';

export function createPeopleLoaders(prisma: PrismaClient) {
  return {
    personById: rowLoader((ids) => prisma.person.findMany({ where: { id: { in: [...ids] } } })),
    participationsByMeeting: groupLoader(
      (meetingIds) =>
        prisma.participation.findMany({
          where: { meetingId: { in: [...meetingIds] } },
          orderBy: [{ meetingId: 'asc' }, { position: 'asc' }],
        }),
      (p) => p.meetingId,
    ),
    participationsByPerson: groupLoader(
      (personIds) =>
        prisma.participation.findMany({
          where: { personId: { in: [...personIds] } },
          orderBy: [{ meeting: { startDate: 'asc' } }, { id: 'asc' }],
        }),
      (p) => p.personId!,
    ),
  };
}
