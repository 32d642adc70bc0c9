import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../../common/node.interface';
import { DatePrecision, MeetingKind, MeetingMode, MeetingRelation, Track } from './meeting.enums';

@ObjectType({
  simpleResolvers: true,
  implements: Node,
  description:
    'An engagement between the United States and China: a summit, talks, a call, a Track 1.5 or 2 dialogue, or a ' +
    'unilateral announcement affecting the relationship. Every fact comes from the listed `sources`.',
})
export class Meeting extends Node {
  @Field({ description: 'Stable key from the data set (`YYYY-MM-DD-name`); other records refer to it.' })
  slug!: string;

  @Field({ description: "The engagement's name." })
  title!: string;

  @Field(() => MeetingKind, { description: 'What sort of engagement it was.' })
  kind!: MeetingKind;

  @Field(() => Track, { description: 'Official (1), mixed (1.5) or non-governmental (2).' })
  track!: Track;

  @Field(() => MeetingMode, { description: 'In person, by video, by phone, or a statement.' })
  mode!: MeetingMode;

  @Field({ description: 'First day, "YYYY-MM-DD"; "YYYY-MM" when datePrecision is MONTH.' })
  startDate!: string;

  @Field(() => String, { nullable: true, description: 'Last day, in the same format as startDate; null when the sources give none.' })
  endDate!: string | null;

  @Field(() => DatePrecision, {
    description: 'DAY or MONTH. A MONTH-precision meeting is treated as spanning its whole month by date filters.',
  })
  datePrecision!: DatePrecision;

  @Field(() => String, { nullable: true, description: 'City; null for calls, video meetings and statements.' })
  city!: string | null;

  @Field(() => String, { nullable: true, description: 'State, province or region, where the sources give one.' })
  region!: string | null;

  @Field(() => String, { nullable: true, description: 'Country name in English.' })
  country!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 country code, e.g. "CN".' })
  countryCode!: string | null;

  @Field(() => String, { nullable: true, description: 'Building or site, e.g. "Annenberg Retreat at Sunnylands".' })
  venue!: string | null;

  @Field(() => String, { nullable: true, description: 'Short summary, where one has been written.' })
  summary!: string | null;

  @Field({ description: 'True when a core fact (date, place, host, source quality) is shaky; see uncertaintyNotes.' })
  uncertain!: boolean;

  @Field(() => String, {
    nullable: true,
    description: "Why the record is uncertain, and caveats (e.g. the two sides' readouts disagree) even when it is not.",
  })
  uncertaintyNotes!: string | null;
}

export enum RelationDirection {
  OUTGOING = 'OUTGOING',
  INCOMING = 'INCOMING',
}

registerEnumType(RelationDirection, {
  name: 'RelationDirection',
  description: 'Which way a link between two meetings points.',
  valuesConfig: {
    OUTGOING: { description: 'Recorded on this meeting: "this meeting <relation> the other".' },
    INCOMING: { description: 'Recorded on the other meeting: "the other meeting <relation> this one".' },
  },
});

@ObjectType({ simpleResolvers: true, description: 'Another meeting linked to this one, with the direction of the link.' })
export class RelatedMeeting {
  @Field(() => MeetingRelation, { description: 'The kind of link, as stated by the record it was recorded on.' })
  relation!: MeetingRelation;

  @Field(() => RelationDirection, {
    description:
      'OUTGOING: this meeting <relation> the other (e.g. this one follows up on it). INCOMING: the other meeting ' + '<relation> this one.',
  })
  direction!: RelationDirection;

  @Field(() => Meeting, { description: 'The other meeting.' })
  meeting!: Meeting;
}
