/**
 * The most items one meeting record may list, per part. The write path (engagement.record.ts)
 * refuses records with more, and the cost of an operation counts each of these lists at its cap
 * (common/limits/cost.ts), so the caps are what bound the work a page of meetings can cause. The
 * real records list at most 9 participants, 7 outcomes and 5 sources; the caps leave room for
 * the largest summits and dialogues while keeping a page of 100 full meetings under MAX_COST.
 */
import { MAX_CHANNELS } from '../channels/channel-limits';

export const MEETING_PART_CAPS = {
  /** A record lists each channel at most once. */
  channels: MAX_CHANNELS,
  outcomes: 30,
  /** Named people; unnamed groups are one participant each (`delegation`, `headcount`). */
  participants: 50,
  hosts: 10,
  sources: 20,
  /** Links a record states itself (outgoing); links to it from other records come on top. */
  related: 20,
} as const;
