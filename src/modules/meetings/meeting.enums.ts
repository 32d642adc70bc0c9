/**
 * GraphQL enums backed by the Prisma enums, so the two cannot drift. Values are the data set's
 * words in upper case (API.md).
 */
import { registerEnumType } from 'type-graphql';
import { DatePrecision, MeetingKind, MeetingMode, MeetingRelation, Side, Track } from '../../generated/prisma/enums';

registerEnumType(MeetingKind, {
  name: 'MeetingKind',
  description: 'What sort of engagement a meeting was.',
  valuesConfig: {
    SUMMIT: { description: 'Leaders meeting in person, including on the margins of multilateral summits.' },
    STATE_VISIT: { description: "A head of state's formal visit to the other country." },
    MINISTERIAL_VISIT: { description: "A minister's or cabinet-level official's visit to the other country." },
    MINISTERIAL_TALKS: { description: 'Talks between ministers or cabinet-level officials, in either country or a third.' },
    STRATEGIC_DIALOGUE: { description: 'A standing high-level dialogue covering many issues (e.g. the Strategic and Economic Dialogue).' },
    LEADER_CALL: { description: 'A telephone or video call between the two leaders.' },
    COURTESY_CALL: { description: "A visiting official's call on a host leader or senior official." },
    MILITARY_TALKS: { description: 'Talks between defense or military officials.' },
    WORKING_GROUP: { description: 'A meeting of a standing bilateral working group.' },
    WORKING_LEVEL_CONSULTATION: { description: 'Consultations between officials below ministerial level.' },
    JOINT_STATEMENT: { description: 'A statement issued jointly by both governments.' },
    SIGNING_CEREMONY: { description: 'The signing of an agreement.' },
    TRACK_1_5_DIALOGUE: { description: 'A dialogue of officials and non-officials together.' },
    TRACK_2_DIALOGUE: { description: 'A dialogue of non-governmental participants only.' },
    UNILATERAL_ANNOUNCEMENT: { description: 'A step announced by one side alone that affects the channels (e.g. suspending talks).' },
  },
});

registerEnumType(Track, {
  name: 'Track',
  description: 'Who took part: officials (track 1), officials with non-officials (1.5), or non-officials only (2).',
  valuesConfig: {
    TRACK_1: { description: 'Official, government to government (the data set\'s "1").' },
    TRACK_1_5: { description: 'Officials and non-officials together (the data set\'s "1.5").' },
    TRACK_2: { description: 'Non-governmental participants only (the data set\'s "2").' },
  },
});

registerEnumType(MeetingMode, {
  name: 'MeetingMode',
  description: 'How the parties met.',
  valuesConfig: {
    IN_PERSON: { description: 'Face to face.' },
    VIDEO: { description: 'By video link.' },
    PHONE: { description: 'By telephone.' },
    STATEMENT: { description: 'No meeting: a written statement or announcement.' },
  },
});

registerEnumType(DatePrecision, {
  name: 'DatePrecision',
  description: 'How precisely the sources date a meeting.',
  valuesConfig: {
    DAY: { description: 'Dates are exact days, "YYYY-MM-DD".' },
    MONTH: { description: 'Only the month is known: dates are "YYYY-MM" and stand for the whole month.' },
  },
});

registerEnumType(Side, {
  name: 'Side',
  description: 'Which side a participant took part for.',
  valuesConfig: {
    US: { description: 'The United States.' },
    CN: { description: "The People's Republic of China." },
    OTHER: { description: 'A third country, a mediator, or a mixed group.' },
  },
});

registerEnumType(MeetingRelation, {
  name: 'MeetingRelation',
  description: 'How one meeting relates to another, read as "this meeting <relation> the other".',
  valuesConfig: {
    FOLLOW_UP_OF: { description: 'Followed up on the other meeting.' },
    IMPLEMENTS_OUTCOME_OF: { description: 'Carried out an outcome agreed or planned at the other meeting.' },
    SAME_SERIES: { description: 'Belongs to the same recurring series as the other meeting.' },
    SAME_TRIP: { description: 'Took place on the same trip as the other meeting.' },
    REVERSES: { description: 'Undid or suspended what the other meeting had achieved.' },
  },
});

export { DatePrecision, MeetingKind, MeetingMode, MeetingRelation, Side, Track };
