import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../../common/node.interface';
import { Side } from '../meetings/meeting.enums';
import { Organization } from '../organizations/organization.type';

@ObjectType({ simpleResolvers: true, implements: Node, description: 'A named person who took part in at least one meeting.' })
export class Person extends Node {
  @Field({ description: 'Derived from the name: lower case, words joined by "-" (e.g. "antony-blinken").' })
  slug!: string;

  @Field({ description: 'Name as the sources give it.' })
  name!: string;
}

@ObjectType({
  simpleResolvers: true,
  description:
    "One line of a meeting's participant list: a named person, or an unnamed group the sources describe only as a " + 'delegation.',
})
export class Participant {
  @Field(() => String, {
    nullable: true,
    description: 'Free-text description of an unnamed group, e.g. "Pentagon and State Department officials".',
  })
  delegation!: string | null;

  @Field(() => Int, { nullable: true, description: 'Size of the group, where a source gives it.' })
  headcount!: number | null;

  @Field(() => String, { nullable: true, description: 'Post held at the time of the meeting, e.g. "Secretary of State".' })
  role!: string | null;

  @Field(() => Side, { description: 'The side the participant took part for.' })
  side!: Side;

  @Field(() => String, { nullable: true, description: 'Remarks on this participation, e.g. a quote or a caveat.' })
  note!: string | null;

  // Participations are always read with their person and organisation (people.loaders.ts and the
  // page prefetch), so these are plain fields rather than resolvers.
  @Field(() => Person, { nullable: true, description: 'The person; null for an unnamed group (see delegation).' })
  person!: Person | null;

  @Field(() => Organization, { nullable: true, description: 'The organisation the participant represented, as the sources name it.' })
  organization!: Organization | null;
}
