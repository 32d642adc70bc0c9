/**
 * Relay cursor connections with keyset pagination: a cursor holds the sort-key values of its
 * row, so a page is found by an index range scan, never by OFFSET, and stays correct while
 * rows are added.
 */
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { Prisma } from '../generated/prisma/client';
import { badUserInput } from './errors';

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
  @Field(() => Int, { nullable: true, description: `Return the last n items (0–${MAX_PAGE_SIZE}), counting back from \`before\` or the end.` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Return items before this cursor (a `startCursor` or edge cursor).' })
  before?: string | null;
}

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

export type CursorValue = string | number | boolean | null;

/** A validated page request: how many rows, which way, and from where. */
export interface PageRequest {
  take: number;
  /** `backward` for last/before: rows are read in reverse order and flipped back. */
  backward: boolean;
  cursor: CursorValue[] | null;
}

export function pageRequest(args: Partial<PageArgs>, signature: string, keyCount: number): PageRequest {
  const { first, after, last, before } = args;
  for (const [name, value] of [['first', first], ['last', last]] as const) {
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw badUserInput(name, `must be between 0 and ${MAX_PAGE_SIZE}, got ${value}`);
    }
  }
  if (first != null && last != null) throw badUserInput('last', 'cannot be combined with first; page one way at a time');
  if (after != null && before != null) throw badUserInput('before', 'cannot be combined with after; page one way at a time');
  if (last != null && after != null) throw badUserInput('after', 'pages backwards with last need before, not after');
  if (first != null && before != null) throw badUserInput('before', 'pages forwards with first need after, not before');
  const backward = last != null || before != null;
  const cursorArg = backward ? 'before' : 'after';
  const raw = backward ? before : after;
  return {
    take: (backward ? last : first) ?? DEFAULT_PAGE_SIZE,
    backward,
    cursor: raw == null ? null : decodeCursor(raw, signature, keyCount, cursorArg),
  };
}

/**
 * Cursors carry the ordering they were made for, so a cursor from one ordering or list is
 * refused in another instead of silently returning the wrong page.
 */
export function encodeCursor(signature: string, values: CursorValue[]): string {
  return Buffer.from(JSON.stringify([signature, ...values])).toString('base64url');
}

function decodeCursor(cursor: string, signature: string, keyCount: number, argumentName: string): CursorValue[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badUserInput(argumentName, 'is not a cursor issued by this API');
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || parsed.length < 2) {
    throw badUserInput(argumentName, 'is not a cursor issued by this API');
  }
  if (parsed[0] !== signature) {
    throw badUserInput(argumentName, 'belongs to another list or ordering; request the first page again');
  }
  const values = parsed.slice(1);
  if (values.length !== keyCount || !values.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) {
    throw badUserInput(argumentName, 'is not a cursor issued by this API');
  }
  return values as CursorValue[];
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

/**
 * Keyset condition for Prisma: rows strictly after `cursor` in the given order. For keys
 * (k1, k2, id) that is k1 > v1 OR (k1 = v1 AND k2 > v2) OR (k1 = v1 AND k2 = v2 AND id > v3),
 * with > and < swapped per key direction.
 */
export interface SortKey {
  /** Prisma field path, e.g. ['startDate'] or ['meeting', 'startDate']. */
  path: string[];
  desc: boolean;
  /** The column's SQL type, which the cursor's value must fit (dates travel as YYYY-MM-DD). */
  type: 'date' | 'text' | 'int';
}

export function keysetWhere(
  keys: SortKey[],
  cursor: CursorValue[],
  backward: boolean,
): Record<string, unknown> {
  const nest = (path: string[], condition: unknown): Record<string, unknown> =>
    path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), condition) as Record<string, unknown>;
  checkCursorValues(keys.map((key) => key.type), cursor, backward);
  const value = (index: number) => (keys[index].type === 'date' ? new Date(`${cursor[index]}T00:00:00Z`) : cursor[index]);
  return {
    OR: keys.map((key, index) => ({
      AND: [
        ...keys.slice(0, index).map((prev, j) => nest(prev.path, { equals: value(j) })),
        nest(key.path, { [key.desc !== backward ? 'lt' : 'gt']: value(index) }),
      ],
    })),
  };
}

/** A sort key of a hand-written SQL list: the column expression and how its cursor value is cast. */
export interface SqlSortKey {
  column: Prisma.Sql;
  desc: boolean;
  /** SQL type of the cursor value, e.g. 'date', 'text', 'int'. */
  type: string;
}

/**
 * Keyset condition in SQL: rows strictly after `cursor` in the given order. When every key runs
 * the same way it is one row comparison, `(k1, k2, id) < (v1, v2, v3)`, which PostgreSQL matches
 * against a composite index; mixed directions expand to the OR form of keysetWhere.
 */
export function keysetSql(keys: SqlSortKey[], cursor: CursorValue[], backward: boolean): Prisma.Sql {
  checkCursorValues(keys.map((key) => key.type), cursor, backward);
  const value = (index: number) => Prisma.sql`${cursor[index]}::${Prisma.raw(keys[index].type)}`;
  const op = (key: SqlSortKey) => Prisma.raw(key.desc !== backward ? '<' : '>');
  if (keys.every((key) => key.desc === keys[0].desc)) {
    return Prisma.sql`(${Prisma.join(keys.map((k) => k.column))}) ${op(keys[0])} (${Prisma.join(keys.map((_, i) => value(i)))})`;
  }
  const branches = keys.map((key, index) => {
    const equal = keys.slice(0, index).map((prev, j) => Prisma.sql`${prev.column} = ${value(j)}`);
    return Prisma.sql`(${Prisma.join([...equal, Prisma.sql`${key.column} ${op(key)} ${value(index)}`], ' AND ')})`;
  });
  return Prisma.sql`(${Prisma.join(branches, ' OR ')})`;
}

/**
 * A cursor is client input: a value of the wrong shape or out of its column's range is refused
 * here, rather than failing as a SQL cast error.
 */
function checkCursorValues(types: string[], cursor: CursorValue[], backward: boolean): void {
  types.forEach((type, index) => {
    if (!CURSOR_VALUE_CHECKS[type]?.(cursor[index])) throw badUserInput(backward ? 'before' : 'after', 'is not a cursor issued by this API');
  });
}

/** What each SQL type accepts, as PostgreSQL would: a forged cursor must fail here, not as a cast error. */
const CURSOR_VALUE_CHECKS: Record<string, (value: CursorValue) => boolean> = {
  // Date.parse('2023-02-31') is a valid time (3 March); PostgreSQL refuses the text.
  date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v,
  text: (v) => typeof v === 'string' && v.length <= MAX_CURSOR_TEXT && !v.includes('\u0000'),
  int: (v) => Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31,
  float8: (v) => typeof v === 'number' && Number.isFinite(v),
};

/** Longest text value a cursor may carry (a title is far shorter). */
const MAX_CURSOR_TEXT = 1_000;

/** ORDER BY for SQL sort keys, reversed when paging backwards. */
export function orderBySql(keys: SqlSortKey[], backward: boolean): Prisma.Sql {
  return Prisma.join(keys.map((key) => Prisma.sql`${key.column} ${Prisma.raw(key.desc !== backward ? 'DESC' : 'ASC')}`));
}
