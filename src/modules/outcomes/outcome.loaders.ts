import type { PrismaClient } from '../../generated/prisma/client';
import { groupLoader, rowLoader } from '../../common/loader';

export function createOutcomeLoaders(prisma: PrismaClient) {
  return {
    outcomeById: rowLoader((ids) => prisma.outcome.findMany({ where: { id: { in: [...ids] } } })),
    fulfilmentsByOutcome: groupLoader(
      (outcomeIds) =>
        prisma.outcomeFulfilment.findMany({
          where: { outcomeId: { in: [...outcomeIds] } },
          orderBy: [{ outcomeId: 'asc' }, { meeting: { startDate: 'asc' } }],
        }),
      (fulfilment) => fulfilment.outcomeId,
    ),
    outcomesByMeeting: groupLoader(
      (meetingIds) =>
        prisma.outcome.findMany({ where: { meetingId: { in: [...meetingIds] } }, orderBy: [{ meetingId: 'asc' }, { position: 'asc' }] }),
      (outcome) => outcome.meetingId,
    ),
  };
}
