import type { PrismaClient } from '../../generated/prisma/client';
import { groupLoader, rowLoader } from '../../common/loader';

export function createOrganizationLoaders(prisma: PrismaClient) {
  return {
    organizationById: rowLoader((ids) => prisma.organization.findMany({ where: { id: { in: [...ids] } } })),
    hostsByMeeting: groupLoader(
      (meetingIds) =>
        prisma.host.findMany({
          where: { meetingId: { in: [...meetingIds] } },
          include: { organization: true },
          relationLoadStrategy: 'join',
          orderBy: [{ meetingId: 'asc' }, { position: 'asc' }],
        }),
      (host) => host.meetingId,
    ),
    hostsByOrganization: groupLoader(
      (organizationIds) =>
        prisma.host.findMany({
          where: { organizationId: { in: [...organizationIds] } },
          orderBy: [{ meeting: { startDate: 'desc' } }, { meetingId: 'desc' }],
        }),
      (host) => host.organizationId,
    ),
  };
}
