/**
 * Both directions between the interchange format and the database rows. Import uses them to
 * write and to tell an unchanged record from a changed one; export uses the reverse direction.
 */
import type {
  Asserter,
  DatePrecision,
  MeetingKind,
  MeetingMode,
  MeetingRelation,
  OutcomeStatus,
  Side,
  Track,
} from '../../generated/prisma/client';
import type { EngagementRecord } from './engagement.record';

const TRACK_TO_DB: Record<EngagementRecord['track'], Track> = { '1': 'TRACK_1', '1.5': 'TRACK_1_5', '2': 'TRACK_2' };
export const TRACK_FROM_DB = Object.fromEntries(Object.entries(TRACK_TO_DB).map(([k, v]) => [v, k])) as Record<
  Track,
  EngagementRecord['track']
>;

export const toDbEnum = <T extends string>(value: string) => value.toUpperCase() as T;
const fromDbEnum = <T extends string>(value: string) => value.toLowerCase() as T;

export const toDbTrack = (track: EngagementRecord['track']): Track => TRACK_TO_DB[track];
export const toDbSide = (side: EngagementRecord['participants'][number]['side']): Side => toDbEnum<Side>(side);
const fromDbSide = (side: Side) => (side === 'OTHER' ? 'other' : side);

/** "2024-06" or "2024-06-13" → the first day it covers, as a UTC midnight Date. */
export function parsePartialDate(value: string): Date {
  return new Date(`${value.length === 7 ? `${value}-01` : value}T00:00:00Z`);
}

export function formatPartialDate(date: Date, precision: DatePrecision): string {
  return date.toISOString().slice(0, precision === 'MONTH' ? 7 : 10);
}

/** The last day a start/end pair may cover: a month-precision date covers its whole month. */
export function periodEnd(start: Date, end: Date | null, precision: DatePrecision): Date {
  const last = end ?? start;
  if (precision === 'DAY') return last;
  return new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, 0));
}

export function meetingColumns(record: EngagementRecord) {
  const datePrecision = toDbEnum<DatePrecision>(record.datePrecision);
  const startDate = parsePartialDate(record.startDate);
  const endDate = record.endDate === null ? null : parsePartialDate(record.endDate);
  return {
    slug: record.id,
    title: record.title,
    kind: toDbEnum<MeetingKind>(record.kind),
    track: toDbTrack(record.track),
    mode: toDbEnum<MeetingMode>(record.mode),
    startDate,
    endDate,
    datePrecision,
    periodEnd: periodEnd(startDate, endDate, datePrecision),
    city: record.city,
    region: record.region,
    country: record.country,
    countryCode: record.countryCode,
    venue: record.venue,
    summary: record.summary,
    uncertain: record.uncertain,
    uncertaintyNotes: record.uncertaintyNotes,
  };
}

/** What export and change detection read: a meeting with every part of its record. */
export const meetingRecordInclude = {
  trip: true,
  channels: { include: { channel: true }, orderBy: { position: 'asc' } },
  outcomes: { include: { meetingChannel: { include: { channel: true } } }, orderBy: { position: 'asc' } },
  participations: { include: { person: true, organization: true }, orderBy: { position: 'asc' } },
  hosts: { include: { organization: true }, orderBy: { position: 'asc' } },
  sources: { orderBy: { position: 'asc' } },
  relatedFrom: { include: { to: { select: { slug: true } } } },
} as const;

interface MeetingWithRecord {
  slug: string;
  title: string;
  kind: MeetingKind;
  track: Track;
  mode: MeetingMode;
  startDate: Date;
  endDate: Date | null;
  datePrecision: DatePrecision;
  city: string | null;
  region: string | null;
  country: string | null;
  countryCode: string | null;
  venue: string | null;
  summary: string | null;
  uncertain: boolean;
  uncertaintyNotes: string | null;
  trip: { key: string } | null;
  channels: { channel: { slug: string } }[];
  outcomes: {
    meetingChannel: { channel: { slug: string } };
    description: string;
    status: OutcomeStatus;
    note: string | null;
    assertedBy: Asserter[];
    sourcePositions: number[];
  }[];
  participations: {
    person: { name: string } | null;
    role: string | null;
    organization: { name: string } | null;
    side: Side;
    delegation: string | null;
    headcount: number | null;
    note: string | null;
  }[];
  hosts: { organization: { name: string } }[];
  sources: { publisher: string; title: string | null; url: string | null; publishedDate: string | null; note: string | null }[];
  relatedFrom: { relation: MeetingRelation; to: { slug: string } }[];
}

/** The record as the database holds it, in the normalised shape the import schema outputs. */
export function recordFromMeeting(meeting: MeetingWithRecord): EngagementRecord {
  return {
    id: meeting.slug,
    title: meeting.title,
    startDate: formatPartialDate(meeting.startDate, meeting.datePrecision),
    endDate: meeting.endDate && formatPartialDate(meeting.endDate, meeting.datePrecision),
    datePrecision: fromDbEnum(meeting.datePrecision),
    kind: fromDbEnum(meeting.kind),
    track: TRACK_FROM_DB[meeting.track],
    mode: fromDbEnum(meeting.mode),
    city: meeting.city,
    region: meeting.region,
    country: meeting.country,
    countryCode: meeting.countryCode,
    venue: meeting.venue,
    summary: meeting.summary,
    hosts: meeting.hosts.map((host) => host.organization.name),
    participants: meeting.participations.map((p) => ({
      name: p.person?.name ?? null,
      role: p.role,
      organization: p.organization?.name ?? null,
      side: fromDbSide(p.side),
      delegation: p.delegation,
      headcount: p.headcount,
      note: p.note,
    })),
    channels: meeting.channels.map((link) => link.channel.slug),
    outcomes: meeting.outcomes.map((outcome) => ({
      channel: outcome.meetingChannel.channel.slug,
      description: outcome.description,
      status: fromDbEnum(outcome.status),
      note: outcome.note,
      assertedBy: outcome.assertedBy.map((a) => fromDbEnum<EngagementRecord['outcomes'][number]['assertedBy'][number]>(a)),
      sources: outcome.sourcePositions,
    })),
    sources: meeting.sources.map((source) => ({
      publisher: source.publisher,
      title: source.title,
      url: source.url,
      publishedDate: source.publishedDate,
      note: source.note,
    })),
    parent: meeting.trip?.key ?? null,
    related: meeting.relatedFrom
      .map((link) => ({ id: link.to.slug, relation: fromDbEnum<EngagementRecord['related'][number]['relation']>(link.relation) }))
      .sort((a, b) => (a.id + a.relation).localeCompare(b.id + b.relation)),
    uncertain: meeting.uncertain,
    uncertaintyNotes: meeting.uncertaintyNotes,
  };
}
