/**
 * The planner in Apollo's pipeline: once every check has passed (document limits, cost, keys) and
 * the response cache has not answered, a query the planner covers is answered from its one
 * statement, and execution is skipped. Anything else — mutations, fields without a shape, argument
 * errors, a failing statement — returns nothing here, and Apollo executes the operation as usual.
 *
 * A document's statement is compiled once per operation and variables (dashboards send the same
 * few again and again): the SQL text, its parameters, or the decision to fall back.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import {
  getVariableValues,
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type GraphQLSchema,
} from 'graphql';
import type { Context } from '../context';
import { queryRows } from '../db/prisma';
import { sql } from '../db/sql';
import { FALLBACK_IN_TEXT } from './json';
import { Planner, Unplannable } from './planner';
import { shapesByType } from './shapes';

export interface PlannerPluginOptions {
  /**
   * Send planned data as PostgreSQL's JSON text, unparsed (raw-json.ts). Off while the response
   * cache is on: it stores parsed data.
   */
  rawResponses: boolean;
  /** Reports operations the planner did not cover, and why (tests and the bench read it). */
  onFallback?: (reason: string) => void;
}

/** Compiled statements kept per document; a client paging through cursors makes new variables every page. */
const STATEMENTS_PER_DOCUMENT = 50;

/** A compiled operation: its statement's text and parameters as sent (texts are long; building them each time showed). */
type Compiled = { text: string; values: unknown[] } | { fallback: string };

export function plannerPlugin(options: PlannerPluginOptions): ApolloServerPlugin<Context> {
  const shapes = shapesByType();
  const compiled = new WeakMap<DocumentNode, Map<string, Compiled>>();

  async function compile(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
    context: Context,
  ): Promise<Compiled> {
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) return { fallback: 'variables' };
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    }
    const planner = new Planner({ schema, fragments, variables: coerced.coerced }, context, shapes);
    try {
      const data = await planner.object(schema.getQueryType()!.name, [operation.selectionSet], sql`NULL`);
      const statement = sql`SELECT (${data})::text AS data`;
      return { text: statement.text, values: statement.values as unknown[] };
    } catch (error) {
      if (error instanceof Unplannable || error instanceof GraphQLError) return { fallback: error.message };
      throw error;
    }
  }

  return {
    async requestDidStart() {
      return {
        async responseForOperation({ operation, operationName, document, schema, request, contextValue }) {
          if (operation?.operation !== 'query') return null;
          // Who calls is part of the key: a plan may depend on it (the audit trail is planned for
          // ADMIN keys only), and one made for an ADMIN must never answer anyone else.
          const caller = contextValue.caller.kind === 'key' ? contextValue.caller.role : contextValue.caller.kind;
          const key = `${caller}\u0000${operationName ?? ''}\u0000${JSON.stringify(request.variables ?? {})}`;
          let byVariables = compiled.get(document);
          let plan = byVariables?.get(key);
          if (!plan) {
            plan = await compile(schema, document, operation, request.variables ?? {}, contextValue);
            if (!byVariables) compiled.set(document, (byVariables = new Map()));
            if (byVariables.size >= STATEMENTS_PER_DOCUMENT) byVariables.delete(byVariables.keys().next().value!);
            byVariables.set(key, plan);
          }
          if ('fallback' in plan) {
            options.onFallback?.(plan.fallback);
            return null;
          }
          let text: string;
          try {
            [{ data: text }] = await queryRows<{ data: string }>(contextValue.prisma, plan.text, plan.values);
          } catch (error) {
            // Execution reports it as it reports any database failure (the error policy classifies it).
            options.onFallback?.(`statement failed: ${(error as Error).message}`);
            return null;
          }
          if (text.includes(FALLBACK_IN_TEXT)) {
            options.onFallback?.('the data calls for an error execution reports');
            return null;
          }
          const raw = options.rawResponses ? contextValue.splicer : undefined;
          const data = raw ? raw.add(text) : JSON.parse(text);
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data: data as Record<string, unknown> } },
          };
        },
      };
    },
  };
}
