/**
 * A part of a meeting (its channels, outcomes, participants, hosts, sources or links), for
 * execution's way of answering: through the part's per-request loader, one statement for every
 * meeting asked for in the same tick. (Planned operations build the parts in their SQL instead,
 * from the shapes: meeting.shape.ts.)
 */
import type { Context } from '../../context';

export const MEETING_PARTS = ['channels', 'outcomes', 'participants', 'hosts', 'sources', 'related'] as const;
export type MeetingPart = (typeof MEETING_PARTS)[number];

const PART_LOADERS: Record<MeetingPart, (loaders: Context['loaders']) => { load(meetingId: number): Promise<unknown> }> = {
  channels: (l) => l.channelLinksByMeeting,
  outcomes: (l) => l.outcomesByMeeting,
  participants: (l) => l.participationsByMeeting,
  hosts: (l) => l.hostsByMeeting,
  sources: (l) => l.sourcesByMeeting,
  related: (l) => l.relatedByMeeting,
};

export function meetingPart<T>(ctx: Pick<Context, 'loaders'>, part: MeetingPart, meetingId: number): Promise<T> {
  return PART_LOADERS[part](ctx.loaders).load(meetingId) as Promise<T>;
}
