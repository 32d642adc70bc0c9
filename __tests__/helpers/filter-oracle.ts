/**
 * An independent evaluator of MeetingFilter and OutcomeFilter over the records of a data file (the
 * interchange format of prisma/seed/README.md), written from the descriptions of the GraphQL input
 * types only, so that the SQL compiler (src/modules/stats/filter.sql.ts) can be checked against it.
 * It shares no code with src except slugify, which defines what a person's or organisation's slug is.
 *
 * Filters are GraphQL input literals (the text a query would contain), parsed here into plain
 * values, enum values becoming their names. A field the oracle does not know fails loudly rather
 * than being ignored.
 */
import { parseValue, valueFromASTUntyped } from 'graphql';
import { slugify } from '../../src/common/slug';

type Filter = Record<string, any>;
type Rec = Record<string, any>;

/** `fulfilledBy` of each outcome, keyed by outcomeKey, as the API reports it. */
export type FulfilledBy = Map<string, string[]>;

/** An outcome is identified by its meeting's slug and its description (unique within the data set). */
export const outcomeKey = (meetingSlug: string, description: string) => `${meetingSlug} / ${description}`;

/** `{ channels: ["ai"], tracks: [TRACK_1] }` → `{ channels: ['ai'], tracks: ['TRACK_1'] }`. */
export function parseFilter(literal: string): Filter {
  return valueFromASTUntyped(parseValue(literal)) as Filter;
}

const TRACKS: Record<string, string> = { '1': 'TRACK_1', '1.5': 'TRACK_1_5', '2': 'TRACK_2' };
const upper = (s: string) => s.toUpperCase();

/** Last day of a month, month 1–12, as YYYY-MM-DD. */
function lastDayOf(year: number, month: number): string {
  const days = [31, (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return `${year}-${String(month).padStart(2, '0')}-${days[month - 1]}`;
}

/** The first or last day that a date of the form YYYY, YYYY-MM or YYYY-MM-DD stands for. */
function spanOf(date: string): { first: string; last: string } {
  const parts = date.split('-');
  if (parts.length === 3) return { first: date, last: date };
  if (parts.length === 2) return { first: `${date}-01`, last: lastDayOf(Number(parts[0]), Number(parts[1])) };
  if (parts.length === 1 && /^\d{4}$/.test(date)) return { first: `${date}-01-01`, last: `${date}-12-31` };
  throw new Error(`oracle: not a date "${date}"`);
}

/** A record's period: from the first day of its start to the last day of its end (start when it has none). */
function periodOf(r: Rec): { first: string; last: string } {
  return { first: spanOf(r.startDate).first, last: spanOf(r.endDate ?? r.startDate).last };
}

/** The meeting's period overlaps the range: it ends on or after `from` and starts on or before `to`. */
function overlaps(r: Rec, range: Filter): boolean {
  const period = periodOf(r);
  if (range.from != null && period.last < spanOf(range.from).first) return false;
  if (range.to != null && period.first > spanOf(range.to).last) return false;
  return true;
}

const anyOf = <T>(wanted: T[] | null | undefined, value: T) => wanted == null || wanted.includes(value);

function checkKeys(filter: Filter, known: string[], type: string): void {
  for (const key of Object.keys(filter)) {
    if (!known.includes(key)) throw new Error(`oracle: ${type}.${key} is not implemented`);
  }
}

const MEETING_KEYS = [
  'channels',
  'tracks',
  'kinds',
  'modes',
  'from',
  'to',
  'countryCode',
  'participant',
  'host',
  'outcomeStatus',
  'uncertain',
  'outcomes',
  'participation',
  'relatedTo',
  'and',
  'or',
  'not',
];
const OUTCOME_KEYS = ['channels', 'statuses', 'from', 'to', 'fulfilled', 'assertedBy', 'sideClaims', 'meeting', 'and', 'or', 'not'];

export interface FilterOracle {
  meetingMatches(record: Rec, filter: Filter): boolean;
  outcomeMatches(record: Rec, outcome: Rec, filter: Filter): boolean;
  /** Slugs of the records a MeetingFilter literal selects. */
  meetings(literal: string): Set<string>;
  /** outcomeKeys of the outcomes an OutcomeFilter literal selects. */
  outcomes(literal: string): Set<string>;
}

export function filterOracle(records: Rec[], fulfilledBy: FulfilledBy): FilterOracle {
  const byId = new Map(records.map((r) => [r.id, r]));

  /** A link `from` → `to` stated in `from`'s record, of one of the relations (any when null). */
  const linked = (from: Rec | undefined, to: string, relations: string[] | null | undefined) =>
    from != null && from.related.some((l: Rec) => l.id === to && anyOf(relations, upper(l.relation)));

  function meetingMatches(r: Rec, f: Filter): boolean {
    checkKeys(f, MEETING_KEYS, 'MeetingFilter');
    if (f.channels != null && !r.channels.some((c: string) => f.channels.includes(c))) return false;
    if (!anyOf(f.tracks, TRACKS[r.track])) return false;
    if (!anyOf(f.kinds, upper(r.kind))) return false;
    if (!anyOf(f.modes, upper(r.mode))) return false;
    if (!overlaps(r, f)) return false;
    if (f.countryCode != null && r.countryCode !== upper(f.countryCode)) return false;
    if (f.participant != null && !r.participants.some((p: Rec) => p.name != null && slugify(p.name) === f.participant)) return false;
    if (f.host != null && !r.hosts.some((h: string) => slugify(h) === f.host)) return false;
    if (f.outcomeStatus != null && !r.outcomes.some((o: Rec) => f.outcomeStatus.includes(upper(o.status)))) return false;
    if (f.uncertain != null && r.uncertain !== f.uncertain) return false;
    if (f.outcomes != null && !r.outcomes.some((o: Rec) => outcomeMatches(r, o, f.outcomes))) return false;
    if (f.participation != null) {
      const { person, side, organization, ...rest } = f.participation;
      checkKeys(rest, [], 'ParticipationFilter');
      // All the conditions for one and the same participant.
      const matches = (p: Rec) =>
        (person == null || (p.name != null && slugify(p.name) === person)) &&
        (side == null || upper(p.side) === side) &&
        (organization == null || (p.organization != null && slugify(p.organization) === organization));
      if (!r.participants.some(matches)) return false;
    }
    if (f.relatedTo != null) {
      const { slug, relations, direction, ...rest } = f.relatedTo;
      checkKeys(rest, [], 'RelatedFilter');
      // OUTGOING: this record states the link to the other; INCOMING: the other states it to this one.
      const outgoing = linked(r, slug, relations);
      const incoming = linked(byId.get(slug), r.id, relations);
      const ok = direction === 'OUTGOING' ? outgoing : direction === 'INCOMING' ? incoming : outgoing || incoming;
      if (!ok) return false;
    }
    if (f.and != null && !f.and.every((g: Filter) => meetingMatches(r, g))) return false;
    if (f.or != null && !f.or.some((g: Filter) => meetingMatches(r, g))) return false;
    if (f.not != null && f.not.some((g: Filter) => meetingMatches(r, g))) return false;
    return true;
  }

  function outcomeMatches(r: Rec, o: Rec, f: Filter): boolean {
    checkKeys(f, OUTCOME_KEYS, 'OutcomeFilter');
    if (!anyOf(f.channels, o.channel)) return false;
    if (!anyOf(f.statuses, upper(o.status))) return false;
    if (!overlaps(r, f)) return false;
    if (f.fulfilled != null) {
      const by = fulfilledBy.get(outcomeKey(r.id, o.description));
      if (by == null) throw new Error(`oracle: no fulfilledBy for ${outcomeKey(r.id, o.description)}`);
      if (by.length > 0 !== f.fulfilled) return false;
    }
    // assertedBy is optional in the file: an outcome without it is asserted by no one.
    const asserted: string[] = (o.assertedBy ?? []).map(upper);
    if (f.assertedBy != null && !asserted.some((a) => f.assertedBy.includes(a))) return false;
    if (f.sideClaims != null) {
      // A joint text is both sides' claim; third parties are neither side.
      const sides =
        Number(asserted.includes('US') || asserted.includes('JOINT')) + Number(asserted.includes('CN') || asserted.includes('JOINT'));
      const wanted = { NEITHER_SIDE: 0, ONE_SIDE: 1, BOTH_SIDES: 2 }[f.sideClaims as string];
      if (wanted === undefined) throw new Error(`oracle: unknown sideClaims ${f.sideClaims}`);
      if (sides !== wanted) return false;
    }
    if (f.meeting != null && !meetingMatches(r, f.meeting)) return false;
    if (f.and != null && !f.and.every((g: Filter) => outcomeMatches(r, o, g))) return false;
    if (f.or != null && !f.or.some((g: Filter) => outcomeMatches(r, o, g))) return false;
    if (f.not != null && f.not.some((g: Filter) => outcomeMatches(r, o, g))) return false;
    return true;
  }

  return {
    meetingMatches,
    outcomeMatches,
    meetings(literal) {
      const filter = parseFilter(literal);
      return new Set(records.filter((r) => meetingMatches(r, filter)).map((r) => r.id));
    },
    outcomes(literal) {
      const filter = parseFilter(literal);
      return new Set(
        records.flatMap((r) =>
          r.outcomes.filter((o: Rec) => outcomeMatches(r, o, filter)).map((o: Rec) => outcomeKey(r.id, o.description)),
        ),
      );
    },
  };
}
