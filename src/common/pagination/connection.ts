/** Relay connections: the object types, and a page of rows turned into one. */
import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { PageRequest } from './cursor';

@ObjectType({ simpleResolvers: true, description: 'Where a page sits in its connection (Relay).' })
export class PageInfo {
  @Field({ description: 'True when more items follow this page.' })
  hasNextPage!: boolean;

  @Field({ description: 'True when items precede this page.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item on this page; null when the page is empty.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item on this page; null when the page is empty.' })
  endCursor!: string | null;
}

export interface Connection<T> {
  /** `cursor` is computed only if selected (graphql's default resolver calls function values). */
  edges: { cursor: string | (() => string); node: T }[];
  pageInfo: PageInfo;
  /** Called only when the client asks for totalCount (graphql's default resolver calls functions). */
  totalCount: () => Promise<number>;
}

/**
 * Builds a connection from rows read with `take + 1`: the extra row only tells whether more
 * exist.
 */
export function toConnection<T>(
  rows: T[],
  page: PageRequest,
  cursorOf: (row: T) => string,
  totalCount: () => Promise<number>,
): Connection<T> {
  const more = rows.length > page.take;
  const pageRows = rows.slice(0, page.take);
  if (page.backward) pageRows.reverse();
  const edges = pageRows.map((node) => ({ cursor: () => cursorOf(node), node }));
  const first = pageRows[0];
  const last = pageRows[pageRows.length - 1];
  return {
    edges,
    pageInfo: {
      hasNextPage: page.backward ? page.cursor !== null : more,
      hasPreviousPage: page.backward ? more : page.cursor !== null,
      startCursor: first === undefined ? null : cursorOf(first),
      endCursor: last === undefined ? null : cursorOf(last),
    },
    totalCount,
  };
}

/** The Connection and Edge object types for a node type, named `${name}Connection`/`${name}Edge`. */
export function ConnectionType<T extends object>(name: string, nodeType: ClassType<T>, noun: string) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true, description: `One ${noun} in a page, with its cursor.` })
  class Edge {
    @Field({ description: 'Opaque cursor of this item, for `after`/`before`.' })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${noun}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true, description: `A page of ${noun}s (Relay connection).` })
  class ConnectionClass {
    @Field(() => [Edge], { description: 'The items of this page, in order.' })
    edges!: Edge[];

    @Field(() => PageInfo, { description: 'Cursors and whether more pages exist.' })
    pageInfo!: PageInfo;

    // `simple`: graphql's own default resolver calls function values, so the count query runs
    // only when a client selects totalCount.
    @Field(() => Int, { simple: true, description: `Number of ${noun}s matching the arguments, across all pages.` })
    totalCount!: number;
  }
  return ConnectionClass;
}
