import type { PrismaClient } from '../../generated/prisma/client';
import { countLoader, groupLoader, limitedGroupLoader, rowLoader } from '../../common/loader';
import { rowLimit } from '../../db/sql';

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
    /** The first `limit` meetings an organisation hosted, newest first. */
    hostsByOrganization: limitedGroupLoader(
      (organizationIds, limit) => prisma.$queryRaw<{ organizationId: number; meetingId: number }[]>`
        SELECT "organizationId", "meetingId" FROM (
          SELECT h.organization_id AS "organizationId", h.meeting_id AS "meetingId", m.start_date, 
                 row_number() OVER (PARTITION BY h.organization_id ORDER BY m.start_date DESC, h.meeting_id DESC) AS n
          FROM host h JOIN meeting m ON m.id = h.meeting_id
          WHERE h.organization_id = ANY(${[...organizationIds]}::int[])) ranked
        WHERE n <= ${rowLimit(limit)}
        ORDER BY "organizationId", start_date DESC, "meetingId" DESC`,
      (host) => host.organizationId,
    ),
    hostedCountByOrganization: countLoader(
      (organizationIds) => prisma.$queryRaw<{ id: number; n: number }[]>`SELECT organization_id AS id, count(*)::int AS n
        FROM host WHERE organization_id = ANY(${[...organizationIds]}::int[]) GROUP BY organization_id`,
    ),
  };
}
