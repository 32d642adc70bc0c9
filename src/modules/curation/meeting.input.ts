import { Field, InputType, Int } from 'type-graphql';
import { DatePrecision, MeetingKind, MeetingMode, MeetingRelation, Side, Track } from '../meetings/meeting.enums';
import { OutcomeStatus } from '../outcomes/outcome-status.enum';
import { Asserter } from '../outcomes/asserter.enum';

@InputType({ description: 'One participant: a named person, or an unnamed group described by `delegation`.' })
export class ParticipantInput {
  @Field(() => String, { nullable: true, description: 'Full name; null for an unnamed group.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Post held at the time.' })
  role?: string | null;

  @Field(() => String, { nullable: true, description: 'Organisation represented, as the sources name it.' })
  organization?: string | null;

  @Field(() => Side, { description: 'The side taken part for.' })
  side!: Side;

  @Field(() => String, { nullable: true, description: 'Description of an unnamed group (required when name is null).' })
  delegation?: string | null;

  @Field(() => Int, { nullable: true, description: 'Size of the group, where a source gives it.' })
  headcount?: number | null;

  @Field(() => String, { nullable: true, description: 'Remarks: a quote, a caveat.' })
  note?: string | null;
}

@InputType({ description: "An outcome, on one of the meeting's channels." })
export class OutcomeInput {
  @Field({ description: "Channel slug; must be among the meeting's channels." })
  channel!: string;

  @Field({ description: 'What was agreed, planned, done, discussed, declined or suspended.' })
  description!: string;

  @Field(() => OutcomeStatus, { description: 'Its status as of the meeting.' })
  status!: OutcomeStatus;

  @Field(() => String, { nullable: true, description: 'What became of it, or who asserted it.' })
  note?: string | null;

  @Field(() => [Asserter], { nullable: true, description: 'Whose account claims it (default: none said).' })
  assertedBy?: Asserter[] | null;

  @Field(() => [Int], {
    nullable: true,
    description: "Indexes (from 0) into the meeting's `sources` of those that assert it (default: none).",
  })
  sources?: number[] | null;
}

@InputType({ description: "A source for the meeting's facts." })
export class SourceInput {
  @Field({ description: 'Publisher.' })
  publisher!: string;

  @Field(() => String, { nullable: true, description: 'Title of the piece.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'http(s) URL, if known.' })
  url?: string | null;

  @Field(() => String, { nullable: true, description: '"YYYY-MM-DD", "YYYY-MM" or "YYYY".' })
  publishedDate?: string | null;

  @Field(() => String, { nullable: true, description: 'What the source does or does not support.' })
  note?: string | null;
}

@InputType({ description: 'A typed link from this meeting to another.' })
export class RelatedInput {
  @Field({ description: 'Slug of the other meeting, which must exist.' })
  slug!: string;

  @Field(() => MeetingRelation, { description: 'How this meeting relates to it.' })
  relation!: MeetingRelation;
}

@InputType({
  description:
    'A whole meeting record, as in the data set (lists replace what the meeting had). `slug` identifies it: a new ' +
    'slug creates a meeting; an existing one updates it, and then `version` must be the version you read.',
})
export class MeetingInput {
  @Field({ description: 'Stable key, "YYYY-MM-DD-name" (or "YYYY-MM-name").' })
  slug!: string;

  @Field(() => Int, { nullable: true, description: 'The version you read; required to update, omitted to create.' })
  version?: number | null;

  @Field({ description: "The engagement's name." })
  title!: string;

  @Field({ description: '"YYYY-MM-DD", or "YYYY-MM" when datePrecision is MONTH.' })
  startDate!: string;

  @Field(() => String, { nullable: true, description: 'Same format as startDate.' })
  endDate?: string | null;

  @Field(() => DatePrecision, { description: 'DAY or MONTH.' })
  datePrecision!: DatePrecision;

  @Field(() => MeetingKind, { description: 'What sort of engagement.' })
  kind!: MeetingKind;

  @Field(() => Track, { description: 'Track 1, 1.5 or 2.' })
  track!: Track;

  @Field(() => MeetingMode, { description: 'How the parties met.' })
  mode!: MeetingMode;

  @Field(() => String, { nullable: true, description: 'City.' })
  city?: string | null;

  @Field(() => String, { nullable: true, description: 'State, province or region.' })
  region?: string | null;

  @Field(() => String, { nullable: true, description: 'Country name.' })
  country?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 code in capitals.' })
  countryCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Building or site.' })
  venue?: string | null;

  @Field(() => String, { nullable: true, description: 'Short summary.' })
  summary?: string | null;

  @Field(() => [String], { defaultValue: [], description: 'Host organisations, by name.' })
  hosts!: string[];

  @Field(() => [ParticipantInput], { defaultValue: [], description: 'Who took part.' })
  participants!: ParticipantInput[];

  @Field(() => [String], { description: 'Channel slugs the meeting touched.' })
  channels!: string[];

  @Field(() => [OutcomeInput], { defaultValue: [], description: 'Its outcomes.' })
  outcomes!: OutcomeInput[];

  @Field(() => [SourceInput], { description: 'Its sources; at least one.' })
  sources!: SourceInput[];

  @Field(() => String, { nullable: true, description: 'Key of the trip grouping it with other meetings.' })
  trip?: string | null;

  @Field(() => [RelatedInput], { defaultValue: [], description: 'Links to other meetings.' })
  related!: RelatedInput[];

  @Field({ defaultValue: false, description: 'True when a core fact is shaky; explain in uncertaintyNotes.' })
  uncertain!: boolean;

  @Field(() => String, { nullable: true, description: 'Why the record is uncertain, and other caveats.' })
  uncertaintyNotes?: string | null;
}

@InputType({
  description:
    'Changes to one meeting: only the fields given change. A list given replaces that list, which is how parts ' +
    'are added, changed or removed (send the outcomes you want to keep, edited, plus the new ones).',
})
export class MeetingPatch {
  @Field(() => String, { nullable: true, description: "The engagement's name." })
  title?: string | null;

  @Field(() => String, { nullable: true, description: '"YYYY-MM-DD", or "YYYY-MM" when datePrecision is MONTH.' })
  startDate?: string | null;

  @Field(() => String, { nullable: true, description: 'Same format as startDate; send null to clear.' })
  endDate?: string | null;

  @Field(() => DatePrecision, { nullable: true, description: 'DAY or MONTH.' })
  datePrecision?: DatePrecision | null;

  @Field(() => MeetingKind, { nullable: true, description: 'What sort of engagement.' })
  kind?: MeetingKind | null;

  @Field(() => Track, { nullable: true, description: 'Track 1, 1.5 or 2.' })
  track?: Track | null;

  @Field(() => MeetingMode, { nullable: true, description: 'How the parties met.' })
  mode?: MeetingMode | null;

  @Field(() => String, { nullable: true, description: 'City; send null to clear.' })
  city?: string | null;

  @Field(() => String, { nullable: true, description: 'Region; send null to clear.' })
  region?: string | null;

  @Field(() => String, { nullable: true, description: 'Country name; send null to clear.' })
  country?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 code; send null to clear.' })
  countryCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Building or site; send null to clear.' })
  venue?: string | null;

  @Field(() => String, { nullable: true, description: 'Short summary; send null to clear.' })
  summary?: string | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the hosts.' })
  hosts?: string[] | null;

  @Field(() => [ParticipantInput], { nullable: true, description: 'Replaces the participants.' })
  participants?: ParticipantInput[] | null;

  @Field(() => [String], { nullable: true, description: "Replaces the channels (every outcome's channel must stay among them)." })
  channels?: string[] | null;

  @Field(() => [OutcomeInput], { nullable: true, description: 'Replaces the outcomes.' })
  outcomes?: OutcomeInput[] | null;

  @Field(() => [SourceInput], { nullable: true, description: 'Replaces the sources (at least one must remain).' })
  sources?: SourceInput[] | null;

  @Field(() => String, { nullable: true, description: 'Trip key; send null to clear.' })
  trip?: string | null;

  @Field(() => [RelatedInput], { nullable: true, description: 'Replaces the links to other meetings.' })
  related?: RelatedInput[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether a core fact is shaky.' })
  uncertain?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Why the record is uncertain; send null to clear.' })
  uncertaintyNotes?: string | null;
}
