import type { PrismaClient } from '../../generated/prisma/client';
import { groupLoader } from '../../common/loader';

export function createSourceLoaders(prisma: PrismaClient) {
  return {
    sourcesByMeeting: groupLoader(
      (meetingIds) =>
        prisma.source.findMany({ where: { meetingId: { in: [...meetingIds] } }, orderBy: [{ meetingId: 'asc' }, { position: 'asc' }] }),
      (source) => source.meetingId,
    ),
  };
}
