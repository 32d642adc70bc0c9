/**
 * The data set's interchange format (prisma/seed/README.md): one engagement a line. The schema
 * is strict about unknown keys because a misspelt field ("outcome" for "outcomes") would
 * otherwise drop data silently.
 */
import { z } from 'zod';
import { slugify } from '../../common/slug';
import { MEETING_PART_CAPS } from '../meetings/meeting-limits';

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const PUBLISHED = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

export const MEETING_KINDS = [
  'summit',
  'state_visit',
  'ministerial_visit',
  'ministerial_talks',
  'strategic_dialogue',
  'leader_call',
  'courtesy_call',
  'military_talks',
  'working_group',
  'working_level_consultation',
  'joint_statement',
  'signing_ceremony',
  'track_1_5_dialogue',
  'track_2_dialogue',
  'unilateral_announcement',
] as const;
export const TRACKS = ['1', '1.5', '2'] as const;
export const MODES = ['in_person', 'video', 'phone', 'statement'] as const;
export const OUTCOME_STATUSES = ['agreed', 'planned', 'implemented', 'discussed', 'declined', 'suspended'] as const;
export const SIDES = ['US', 'CN', 'other'] as const;
export const RELATIONS = ['follow_up_of', 'implements_outcome_of', 'same_series', 'same_trip', 'reverses'] as const;
/** Whose account claims an outcome: a side's own readout, a text both issued, or someone else's report. */
export const ASSERTERS = ['us', 'cn', 'joint', 'third_party'] as const;

/**
 * Longest text a field may hold (the longest note in the data set is under 1,000 characters).
 * With the list caps below, it bounds what a response can carry (common/limits/cost.ts).
 */
export const MAX_TEXT = 5_000;

const text = z
  .string()
  .trim()
  .min(1, { message: 'must not be empty' })
  .max(MAX_TEXT, { message: `must be at most ${MAX_TEXT} characters` });
const optionalText = text.nullish().transform((value) => value ?? null);
/** People and organisations are identified by the slug of their name, so it must have one. */
const nameText = text.refine((value) => slugify(value) !== '', { message: 'must contain at least one letter or digit' });
const optionalName = nameText.nullish().transform((value) => value ?? null);

/** A calendar date: the regular expression lets 2023-02-31 through. */
function isCalendarDate(value: string): boolean {
  if (!DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return date.toISOString().slice(0, 10) === value;
}

const participantSchema = z
  .strictObject({
    name: optionalName,
    role: optionalText,
    organization: optionalName,
    side: z.enum(SIDES),
    delegation: optionalText,
    headcount: z
      .number()
      .int()
      .positive()
      .nullish()
      .transform((value) => value ?? null),
    note: optionalText,
  })
  .refine((p) => p.name !== null || p.delegation !== null, {
    message: 'a participant needs a name, or a delegation describing the unnamed group',
    path: ['name'],
  });

/** A list the record may leave out (files written before it existed): missing means empty. */
const optionalList = <T extends z.ZodTypeAny>(item: T, max: number) =>
  z
    .array(item)
    .max(max, { message: `must list at most ${max}` })
    .nullish()
    .transform((value): z.output<T>[] => value ?? []);

const outcomeSchema = z.strictObject({
  channel: text,
  description: text,
  status: z.enum(OUTCOME_STATUSES),
  note: optionalText,
  // Provenance (issue 13). Old files have neither key and still import: both then stay empty.
  assertedBy: optionalList(z.enum(ASSERTERS), ASSERTERS.length),
  /** 0-based indexes into the record's `sources`; checked against them in the record's refinement. */
  sources: optionalList(z.number().int().nonnegative(), MEETING_PART_CAPS.sources),
});

const sourceSchema = z.strictObject({
  publisher: text,
  title: optionalText,
  url: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .nullish()
    .transform((value) => value ?? null),
  publishedDate: z
    .string()
    .regex(PUBLISHED, { message: 'must be YYYY, YYYY-MM or YYYY-MM-DD' })
    .nullish()
    .transform((value) => value ?? null),
  note: optionalText,
});

/** A list of a record, refused beyond its cap (meeting-limits.ts explains the caps). */
function capped<T extends z.ZodArray<z.ZodTypeAny>>(list: T, part: keyof typeof MEETING_PART_CAPS): T {
  return list.max(MEETING_PART_CAPS[part], { message: `must list at most ${MEETING_PART_CAPS[part]}` }) as T;
}

export const engagementRecordSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9_]+)*$/, {
      message: 'must be a slug of lower-case letters, digits and hyphens (YYYY-MM-DD-name)',
    }),
    title: text,
    startDate: z.string(),
    endDate: z
      .string()
      .nullish()
      .transform((value) => value ?? null),
    datePrecision: z.enum(['day', 'month']),
    kind: z.enum(MEETING_KINDS),
    track: z.enum(TRACKS),
    mode: z.enum(MODES),
    city: optionalText,
    region: optionalText,
    country: optionalText,
    countryCode: z
      .string()
      .regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code in capitals' })
      .nullish()
      .transform((value) => value ?? null),
    venue: optionalText,
    summary: optionalText.optional().transform((value) => value ?? null),
    hosts: capped(z.array(nameText), 'hosts'),
    participants: capped(z.array(participantSchema), 'participants'),
    channels: capped(z.array(text), 'channels'),
    outcomes: capped(z.array(outcomeSchema), 'outcomes'),
    sources: capped(z.array(sourceSchema), 'sources').min(1, { message: 'every engagement needs at least one source' }),
    parent: optionalText,
    related: capped(z.array(z.strictObject({ id: text, relation: z.enum(RELATIONS) })), 'related'),
    uncertain: z.boolean(),
    uncertaintyNotes: optionalText,
  })
  .superRefine((record, ctx) => {
    const valid = record.datePrecision === 'day' ? isCalendarDate : (value: string) => MONTH.test(value);
    const shape = record.datePrecision === 'day' ? 'YYYY-MM-DD' : 'YYYY-MM';
    for (const field of ['startDate', 'endDate'] as const) {
      const value = record[field];
      if (value !== null && !valid(value)) {
        ctx.addIssue({ code: 'custom', path: [field], message: `must be a ${shape} date (datePrecision is "${record.datePrecision}")` });
      }
    }
    if (record.endDate !== null && valid(record.startDate) && valid(record.endDate) && record.endDate < record.startDate) {
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'must not be before startDate' });
    }
    const channels = new Set(record.channels);
    record.channels.forEach((channel, index) => {
      if (record.channels.indexOf(channel) !== index) {
        ctx.addIssue({ code: 'custom', path: ['channels', index], message: `channel "${channel}" is listed twice` });
      }
    });
    record.outcomes.forEach((outcome, index) => {
      if (!channels.has(outcome.channel)) {
        ctx.addIssue({
          code: 'custom',
          path: ['outcomes', index, 'channel'],
          message: `"${outcome.channel}" is not among the engagement's channels`,
        });
      }
      outcome.sources.forEach((source, i) => {
        if (source >= record.sources.length) {
          ctx.addIssue({
            code: 'custom',
            path: ['outcomes', index, 'sources', i],
            message: `no source ${source}: the record lists ${record.sources.length} (indexes count from 0)`,
          });
        } else if (outcome.sources.indexOf(source) !== i) {
          ctx.addIssue({ code: 'custom', path: ['outcomes', index, 'sources', i], message: `source ${source} is cited twice` });
        }
      });
      outcome.assertedBy.forEach((asserter, i) => {
        if (outcome.assertedBy.indexOf(asserter) !== i) {
          ctx.addIssue({ code: 'custom', path: ['outcomes', index, 'assertedBy', i], message: `"${asserter}" is listed twice` });
        }
      });
    });
    record.related.forEach((link, index) => {
      if (link.id === record.id) {
        ctx.addIssue({ code: 'custom', path: ['related', index, 'id'], message: 'an engagement cannot relate to itself' });
      }
    });
  });

export type EngagementRecord = z.output<typeof engagementRecordSchema>;

/** `outcomes[1].channel` from ['outcomes', 1, 'channel']. */
export function fieldPath(path: readonly PropertyKey[]): string | null {
  if (path.length === 0) return null;
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}
