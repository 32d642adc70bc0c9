/**
 * The read planner: compiles a query operation — every root field and every relation nested
 * below it, connections included — into ONE SQL statement that returns the response's `data`
 * as JSON, built by PostgreSQL in the shape and order GraphQL execution would produce. Node then
 * executes no resolver at all for it, which is where the time went (graphql-js, per-field
 * resolvers and the garbage they make cost more than the database did).
 *
 * Each type's SQL is defined once, next to its feature, as a shape (`*.shape.ts`): for every
 * field, the SQL expression of its JSON value given the parent row's alias. The planner only
 * walks the selection and composes shapes. A field without a shape (or a selection the planner
 * does not cover) makes the operation unplannable, and it runs through ordinary execution, whose
 * results are the same (__tests__/planner.test.ts compares the two for every type).
 *
 * Argument errors (a bad cursor, an unknown channel…) are thrown while planning and also make the
 * operation fall back, so that execution reports them exactly as it always has.
 */
import type { GraphQLField, GraphQLObjectType, SelectionSetNode } from 'graphql';
import { isObjectType } from 'graphql';
import type { Context } from '../context';
import { alias, sql, type Sql } from '../db/sql';
import { jsonObject } from './json';
import { argumentsOf, selectFields, type OperationScope, type SelectedField } from './selection';

/** What a field's SQL is compiled from. */
export interface FieldRequest {
  /** Alias of the parent row (unused on Query). */
  row: Sql;
  args: Record<string, unknown>;
  /** The field's selection sets (for object, list and connection fields). */
  sets: SelectionSetNode[];
  field: SelectedField;
  definition: GraphQLField<unknown, unknown>;
  planner: Planner;
}

/** The SQL expression of a field's JSON value. */
export type FieldCompiler = (request: FieldRequest) => Sql | Promise<Sql>;

/** How every field of one GraphQL object type is built in SQL. */
export interface TypeShape {
  type: string;
  fields: Record<string, FieldCompiler>;
}

/** Thrown for a selection the planner does not cover: the operation runs through execution. */
export class Unplannable extends Error {}

/** What shapes may read besides SQL: the channel list (loaders), and who is calling (access rules). */
export type Deps = Pick<Context, 'prisma' | 'loaders'> & Partial<Pick<Context, 'caller'>>;

export class Planner {
  private aliases = 0;

  constructor(
    readonly scope: OperationScope,
    readonly deps: Deps,
    private readonly shapes: ReadonlyMap<string, TypeShape>,
  ) {}

  /** A fresh table alias (`m3`), so that nested subqueries never shadow an outer one. */
  alias(prefix: string): Sql {
    this.aliases += 1;
    return alias(`${prefix}${this.aliases}`);
  }

  typeNamed(name: string): GraphQLObjectType {
    const type = this.scope.schema.getType(name);
    if (!isObjectType(type)) throw new Unplannable(`${name} is not an object type`);
    return type;
  }

  /** The JSON object `sets` select on a row of `typeName` aliased `row`. */
  async object(typeName: string, sets: readonly SelectionSetNode[], row: Sql): Promise<Sql> {
    const type = this.typeNamed(typeName);
    const shape = this.shapes.get(typeName);
    const entries: [string, Sql][] = [];
    for (const field of selectFields(this.scope, type, sets)) {
      if (field.name === '__typename') {
        entries.push([field.key, sql`${typeName}::text`]);
        continue;
      }
      const compile = shape?.fields[field.name];
      const definition = type.getFields()[field.name];
      if (!compile || !definition) throw new Unplannable(`${typeName}.${field.name}`);
      const args = argumentsOf(this.scope, definition, field.nodes[0]);
      entries.push([field.key, await compile({ row, args, sets: field.sets, field, definition, planner: this })]);
    }
    return jsonObject(entries);
  }

  /** A selected field's arguments, coerced, on `typeName`. */
  argumentsOf(typeName: string, field: SelectedField): Record<string, unknown> {
    const definition = this.typeNamed(typeName).getFields()[field.name];
    if (!definition) throw new Unplannable(`${typeName}.${field.name}`);
    return argumentsOf(this.scope, definition, field.nodes[0]);
  }

  /** The JSON object `sets` select on `typeName`, for the row of `table` whose id is `id`, or null. */
  async byId(typeName: string, table: string, id: Sql, sets: readonly SelectionSetNode[]): Promise<Sql> {
    const row = this.alias('r');
    return sql`(SELECT ${await this.object(typeName, sets, row)} FROM ${tableSql(table)} ${row} WHERE ${row}.id = ${id})`;
  }
}

const TABLES = ['meeting', 'channel', 'outcome', 'person', 'organization', 'participation', 'host', 'source', 'trip'] as const;

/** A table of the schema, by name (a closed list: no identifier reaches SQL from a request). */
export function tableSql(table: string): Sql {
  if (!(TABLES as readonly string[]).includes(table)) throw new Error(`planner: unknown table ${table}`);
  return alias(table);
}
