import DataLoader from 'dataloader';
import type { PrismaClient } from '../../generated/prisma/client';
import { rowLoader } from '../../common/loader';

export function createMeetingLoaders(prisma: PrismaClient) {
  return {
    meetingById: rowLoader((ids) => prisma.meeting.findMany({ where: { id: { in: [...ids] } } })),
    tripById: rowLoader((ids) => prisma.trip.findMany({ where: { id: { in: [...ids] } } })),
    /** Links recorded on the meeting and links pointing at it, in one statement. */
    relatedByMeeting: new DataLoader(async (ids: readonly number[]) => {
      const links = await prisma.meetingRelationLink.findMany({
        where: { OR: [{ fromMeetingId: { in: [...ids] } }, { toMeetingId: { in: [...ids] } }] },
        orderBy: [{ fromMeetingId: 'asc' }, { toMeetingId: 'asc' }, { relation: 'asc' }],
      });
      return ids.map((id) =>
        links
          .filter((link) => link.fromMeetingId === id || link.toMeetingId === id)
          .map((link) => ({
            relation: link.relation,
            outgoing: link.fromMeetingId === id,
            otherId: link.fromMeetingId === id ? link.toMeetingId : link.fromMeetingId,
          })),
      );
    }),
  };
}
