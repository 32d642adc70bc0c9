import { Extensions, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ConnectionType } from '../../common/pagination';
import { bounded } from '../../common/limits/list-bounds';

/** Errors an import reports one by one; a file that is wrong on every line would report thousands. */
export const MAX_IMPORT_ERRORS = 1_000;
import { ChangeAction } from '../../generated/prisma/enums';

registerEnumType(ChangeAction, {
  name: 'ChangeAction',
  description: 'What a write did to a record.',
  valuesConfig: {
    CREATE: { description: 'Created it.' },
    UPDATE: { description: 'Changed it.' },
    DELETE: { description: 'Deleted it.' },
  },
});

@ObjectType({ simpleResolvers: true, description: 'One line of an import that was refused.' })
export class ImportError {
  @Field(() => Int, { description: '1-based line number in the submitted text.' })
  line!: number;

  @Field(() => String, { nullable: true, description: 'Path of the offending field, e.g. "outcomes[1].channel"; null for the whole line.' })
  field!: string | null;

  @Field({ description: 'What is wrong.' })
  message!: string;
}

@ObjectType({ simpleResolvers: true, description: 'What an import did, or would do (dryRun). With errors, nothing was written.' })
export class ImportReport {
  @Field(() => Int, { description: 'Records that were new.' })
  created!: number;

  @Field(() => Int, { description: 'Records that existed and changed.' })
  updated!: number;

  @Field(() => Int, { description: 'Records identical to what the database held.' })
  unchanged!: number;

  @Extensions(bounded(MAX_IMPORT_ERRORS))
  @Field(() => [ImportError], {
    description: `Why records were refused, in line order: the first ${MAX_IMPORT_ERRORS} (\`errorCount\` has them all); empty when the import succeeded.`,
  })
  errors!: ImportError[];

  @Field(() => Int, { description: 'How many errors there were in all.' })
  errorCount!: number;
}

@ObjectType({ simpleResolvers: true, description: 'One entry of the audit trail: a record written, by whom, when, before and after.' })
export class Change {
  @Field(() => ID, { description: 'Sequence number of the entry.' })
  id!: string;

  @Field({ description: 'When, as an ISO 8601 timestamp.' })
  at!: string;

  @Field({ description: 'The API key\'s name, or how the write was made without one ("seed", "import").' })
  actor!: string;

  @Field(() => ChangeAction, { description: 'What the write did.' })
  action!: ChangeAction;

  @Field({ description: 'Type of the record, e.g. "Meeting".' })
  recordType!: string;

  @Field({ description: 'Slug of the record.' })
  recordSlug!: string;

  @Field(() => GraphQLJSONObject, { nullable: true, description: "The record before, in the data set's format; null for a creation." })
  before!: object | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: "The record after, in the data set's format; null for a deletion." })
  after!: object | null;
}

export const ChangeConnection = ConnectionType('Change', Change, 'change');

@InputType({ description: 'Which audit entries to list; all conditions apply together.' })
export class ChangeFilter {
  @Field(() => String, { nullable: true, description: 'Slug of the record.' })
  recordSlug?: string | null;

  @Field(() => String, { nullable: true, description: 'Name of the API key (or actor) that wrote.' })
  actor?: string | null;

  @Field(() => String, { nullable: true, description: 'Entries at or after this ISO 8601 time.' })
  from?: string | null;

  @Field(() => String, { nullable: true, description: 'Entries before this ISO 8601 time.' })
  to?: string | null;
}
