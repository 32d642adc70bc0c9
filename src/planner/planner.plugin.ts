/**
 * The planner in Apollo's pipeline: once every check has passed (document limits, cost, keys) and
 * the response cache has not answered, a query the planner covers is answered from its one
 * statement, and execution is skipped. Anything else — mutations, fields without a shape, argument
 * errors, a failing statement — returns nothing here, and Apollo executes the operation as usual.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { getVariableValues, GraphQLError, Kind, type FragmentDefinitionNode } from 'graphql';
import type { Context } from '../context';
import { queryRows } from '../db/prisma';
import { sql } from '../db/sql';
import { Planner, Unplannable } from './planner';
import { shapesByType } from './shapes';

export interface PlannerPluginOptions {
  /** Reports operations the planner did not cover, and why (tests and the bench read it). */
  onFallback?: (reason: string) => void;
}

export function plannerPlugin(options: PlannerPluginOptions = {}): ApolloServerPlugin<Context> {
  const shapes = shapesByType();
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ operation, document, schema, request, contextValue }) {
          if (operation?.operation !== 'query') return null;
          const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          if (coerced.errors) return null;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          const planner = new Planner({ schema, fragments, variables: coerced.coerced }, contextValue, shapes);
          let statement;
          try {
            statement = sql`SELECT ${await planner.object(schema.getQueryType()!.name, [operation.selectionSet], sql`NULL`)} AS data`;
          } catch (error) {
            if (error instanceof Unplannable || error instanceof GraphQLError) {
              options.onFallback?.(error.message);
              return null;
            }
            throw error;
          }
          let rows: { data: Record<string, unknown> }[];
          try {
            rows = await queryRows<{ data: Record<string, unknown> }>(contextValue.prisma, statement);
          } catch (error) {
            // Execution reports it as it reports any database failure (the error policy classifies it).
            options.onFallback?.(`statement failed: ${(error as Error).message}`);
            return null;
          }
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: rows[0].data } } };
        },
      };
    },
  };
}
