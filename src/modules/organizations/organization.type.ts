import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../common/node.interface';

@ObjectType({
  simpleResolvers: true,
  implements: Node,
  description: 'A government body, institute or other organisation that hosted meetings or that participants represented.',
})
export class Organization extends Node {
  @Field({ description: 'Derived from the name: lower case, words joined by "-" (e.g. "united-states-institute-of-peace").' })
  slug!: string;

  @Field({ description: 'Name as the sources give it.' })
  name!: string;
}
