/** Channels in SQL, for the read planner: the Channel type, a meeting's channels, and Query's channels. */
import { sql } from '../../db/sql';
import { listOf, nodeId, scalar } from '../../planner/fields';
import type { TypeShape } from '../../planner/planner';
import { meetingConnection } from '../meetings/meeting.shape';

export const channelShapes: TypeShape[] = [
  {
    type: 'Channel',
    fields: {
      id: nodeId('Channel'),
      slug: scalar('slug'),
      name: scalar('name'),
      description: scalar('description'),
      meetings: (request) =>
        meetingConnection(request, {
          where: sql`EXISTS (SELECT 1 FROM meeting_channel mc WHERE mc.meeting_id = m.id AND mc.channel_id = ${request.row}.id)`,
          // Every link has its meeting (foreign key), so counting the links counts the meetings.
          count: sql`SELECT count(*)::int AS n FROM meeting_channel WHERE channel_id = ${request.row}.id`,
        }),
    },
  },
  {
    type: 'Meeting',
    fields: {
      channels: listOf(
        'Channel',
        'c',
        (c, { row }) => sql`FROM meeting_channel mc JOIN channel ${c} ON ${c}.id = mc.channel_id WHERE mc.meeting_id = ${row}.id`,
        () => sql`mc.position`,
      ),
    },
  },
  {
    type: 'Query',
    fields: {
      channels: listOf(
        'Channel',
        'c',
        (c) => sql`FROM channel ${c}`,
        (c) => sql`${c}.position`,
      ),
      channel: async ({ planner, args, sets }) => {
        const c = planner.alias('c');
        return sql`(SELECT ${await planner.object('Channel', sets, c)} FROM channel ${c} WHERE ${c}.slug = ${args.slug as string})`;
      },
    },
  },
];
