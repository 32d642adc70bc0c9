/**
 * The one door for SQL text. Everywhere else SQL is built with the `sql` tagged template, whose
 * interpolated values become bind parameters — never text. Text that cannot be a parameter
 * (identifiers, aliases, sort directions, type names, a statement's fixed fragments) is made here,
 * and only from values this module checks: identifiers must be plain lower-case names, the rest
 * comes from closed lists. A test (and the lint rule) refuses `Prisma.raw`, `$queryRawUnsafe` and
 * `$executeRawUnsafe` anywhere else.
 *
 * Why a door at all: a template once lost the backslashes of a regular expression (Prisma.sql
 * receives a tagged template's cooked strings), and raw text is where injection would come in.
 */
import { Prisma } from '../generated/prisma/client';

export type Sql = Prisma.Sql;
export const sql = Prisma.sql;
export const join = Prisma.join;
export const empty = Prisma.empty;

const NAME = /^[a-z_][a-z0-9_]*$/;

function checkedName(name: string): string {
  if (!NAME.test(name)) throw new Error(`sql: "${name}" is not a plain identifier`);
  return name;
}

/** A table, column or alias name, quoted: `"meeting_id"`. */
export function identifier(name: string): Sql {
  return Prisma.raw(`"${checkedName(name)}"`);
}

/** A column of an alias: `m."start_date"`. */
export function column(alias: string, name: string): Sql {
  return Prisma.raw(`${checkedName(alias)}."${checkedName(name)}"`);
}

/**
 * A column alias that keeps its case, for result rows keyed by client field names: `AS "startDate"`.
 * Letters and digits only.
 */
export function label(name: string): Sql {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`sql: "${name}" is not a plain label`);
  return Prisma.raw(`"${name}"`);
}

/** A table alias, unquoted (`m`, `o3`), for correlated subqueries. */
export function alias(name: string): Sql {
  return Prisma.raw(checkedName(name));
}

export function direction(descending: boolean): Sql {
  return Prisma.raw(descending ? 'DESC' : 'ASC');
}

/** The comparison that keeps rows after a keyset cursor. */
export function after(descending: boolean): Sql {
  return Prisma.raw(descending ? '<' : '>');
}

const TYPES = ['date', 'text', 'int', 'float8', 'json', 'jsonb', 'int[]', 'text[]'] as const;
export type SqlType = (typeof TYPES)[number];

/** A value cast to one of a closed list of types: `$1::date`. */
export function cast(value: unknown, type: SqlType): Sql {
  if (!TYPES.includes(type)) throw new Error(`sql: "${type}" is not a known type`);
  return Prisma.sql`${value}::${Prisma.raw(type)}`;
}

/** A positive integer literal (ORDER BY/GROUP BY positions). */
export function ordinal(n: number): Sql {
  if (!Number.isInteger(n) || n < 1) throw new Error(`sql: ${n} is not an ordinal`);
  return Prisma.raw(String(n));
}

/** The most rows any one LIMIT may name: far above every list bound (common/limits). */
const MAX_ROW_LIMIT = 1_000_000;

/**
 * A row limit (`LIMIT n`, `n <= k` over row numbers) written as a literal, not a parameter.
 * PostgreSQL plans a named prepared statement's first five runs with their values, then keeps one
 * generic plan only if its estimate is no worse; a generic plan cannot know a `LIMIT $n`, so it
 * kept losing, and every run of a planned page was planned again: for a person's page, half of
 * the statement's cost in PostgreSQL. Limits come from a few page sizes, so the texts stay few.
 */
export function rowLimit(n: number): Sql {
  if (!Number.isInteger(n) || n < 0 || n > MAX_ROW_LIMIT) throw new Error(`sql: ${n} is not a row limit`);
  return Prisma.raw(String(n));
}

/** The enum types of prisma/schema.prisma that filters compare with. */
const ENUM_TYPES = ['MeetingKind', 'Track', 'MeetingMode', 'OutcomeStatus', 'Side', 'Asserter', 'MeetingRelation'] as const;
export type EnumType = (typeof ENUM_TYPES)[number];

/**
 * A set of enum values as a literal array, `ARRAY['AGREED','IMPLEMENTED']::"OutcomeStatus"[]`, for
 * the same reason as rowLimit: with the set as a parameter, the generic plan could not know how
 * many rows it selects and lost to a custom plan, so every run was planned again. The domain is
 * closed (GraphQL has checked every value against the enum), so the texts stay few; values are
 * de-duplicated and sorted so that a set written in another order shares its statement.
 */
export function enumSet(values: readonly string[], type: EnumType): Sql {
  if (!ENUM_TYPES.includes(type)) throw new Error(`sql: "${type}" is not a known enum type`);
  const sorted = [...new Set(values)].sort();
  for (const value of sorted) if (!/^[A-Z][A-Z0-9_]*$/.test(value)) throw new Error(`sql: "${value}" is not a ${type} value`);
  return Prisma.raw(`ARRAY[${sorted.map((v) => `'${v}'`).join(',')}]::"${type}"[]`);
}

/**
 * A set of reference-data ids (channels: a few dozen rows, looked up by slug first) as a literal
 * array, `ARRAY[3,7]::int[]`, for the same reason as enumSet. Not for ids of open-ended tables:
 * each distinct set would be a statement of its own.
 */
export function referenceIds(ids: readonly number[]): Sql {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  for (const id of sorted) if (!Number.isInteger(id) || id < 0) throw new Error(`sql: ${id} is not a row id`);
  return Prisma.raw(`ARRAY[${sorted.join(',')}]::int[]`);
}

/**
 * Fixed SQL text written in the source (a constant expression shared by several statements).
 * Only string literals of the code may come here, never data; the regular expression rule above
 * (cooked strings) is why such constants are kept as plain strings.
 */
export function fragment(text: TemplateStringsArray): Sql {
  if (text.length !== 1) throw new Error('sql.fragment takes no interpolations; use sql`…` for values');
  return Prisma.raw(text.raw[0]);
}
