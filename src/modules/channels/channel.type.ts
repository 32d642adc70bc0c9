import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../common/node.interface';

@ObjectType({
  simpleResolvers: true,
  implements: Node,
  description: 'A policy area engagements touch: military, climate, ai, counternarcotics and the others of the data set.',
})
export class Channel extends Node {
  @Field({ description: 'Stable key, e.g. "military", "crisis_communication", "counternarcotics".' })
  slug!: string;

  @Field({ description: 'Human name, e.g. "Crisis communication".' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'One line on what the channel covers.' })
  description!: string | null;
}

/**
 * Channels there can be: the channel table is reference data, written only by migrations (20
 * rows today). Lists of channels are costed at this many; a test keeps it at least the count.
 */
export const MAX_CHANNELS = 20;
