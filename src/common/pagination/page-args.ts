/** The page arguments of every connection: first/after forwards, last/before backwards. */
import { ArgsType, Field, Int } from 'type-graphql';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ArgsType()
export class ForwardPageArgs {
  @Field(() => Int, { nullable: true, description: `Return the first n items (0–${MAX_PAGE_SIZE}; default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return items after this cursor (an `endCursor` or edge cursor).' })
  after?: string | null;
}

@ArgsType()
export class PageArgs extends ForwardPageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Return the last n items (0–${MAX_PAGE_SIZE}), counting back from \`before\` or the end.`,
  })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Return items before this cursor (a `startCursor` or edge cursor).' })
  before?: string | null;
}
