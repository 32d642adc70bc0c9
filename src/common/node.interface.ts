import { Field, ID, InterfaceType } from 'type-graphql';

/** Rows handed to GraphQL carry their type name so that Node can be resolved to a concrete type. */
export interface Typed {
  __typename?: string;
}

@InterfaceType('Node', {
  description: 'An object with a global id, fetchable with `node(id:)`.',
  resolveType: (value: Typed) => value.__typename,
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global id; stable for the life of the record.' })
  id!: string;
}
