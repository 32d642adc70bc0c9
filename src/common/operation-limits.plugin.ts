/**
 * Limits on each operation, checked once Apollo has parsed it and before anything runs:
 * - the document checks of limits/document-limits.ts again, for operations that did not come
 *   through the HTTP guard (tests' executeOperation, other transports);
 * - cost (limits/cost.ts), against MAX_COST for the operation and for all operations of one HTTP
 *   request together, so that a batch of ten cannot spend ten times the limit;
 * and, after execution, the size of the response (RESULT_TOO_LARGE past MAX_RESPONSE_BYTES).
 * Every response reports `extensions.cost { requested actual limit }`.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import type { Limits } from '../config';
import type { Context } from '../context';
import { badUserInputRefusal, ErrorCode, limitExceeded, resultTooLarge } from './errors';
import { costEstimator, measureResult } from './limits/cost';
import { checkDocument } from './limits/document-limits';
import { measureJsonText, RawJson } from '../planner/raw-json';

/** What the operations of one HTTP request have spent together. */
export interface CostBudget {
  spent: number;
}

// Apollo caches parsed documents, so a repeated operation arrives as the same DocumentNode: its
// document checks run once, and its cost once per set of variables (e.g. `first`). The caches
// belong to one plugin instance, so servers with different limits never share them.
const COSTS_PER_DOCUMENT = 100;

export function operationLimitsPlugin(limits: Limits): ApolloServerPlugin<Context> {
  const checked = new WeakMap<DocumentNode, GraphQLError | null>();
  const costs = new WeakMap<DocumentNode, Map<string, number>>();

  function documentRefusal(document: DocumentNode, source: string | undefined): GraphQLError | null {
    let refusal = checked.get(document);
    if (refusal === undefined) {
      const found = source === undefined ? null : checkDocument(source, limits);
      refusal =
        found &&
        (found.code === ErrorCode.BAD_USER_INPUT
          ? badUserInputRefusal(found.argumentName!, found.message.replace(/^[^:]*: /, ''))
          : limitExceeded(found.code, found.message, found.limit ? { limit: found.limit } : {}));
      checked.set(document, refusal);
    }
    return refusal;
  }

  function requestedCost(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Record<string, unknown>,
    operationName?: string,
  ): number {
    const key = `${operationName ?? ''}\u0000${JSON.stringify(variables)}`;
    let byVariables = costs.get(document);
    const cached = byVariables?.get(key);
    if (cached !== undefined) return cached;
    let cost: number;
    try {
      cost = getComplexity({ schema, query: document, variables, operationName, estimators: [costEstimator] });
    } catch (error) {
      // getComplexity coerces the variables first; its coercion errors are the client's.
      const message = (error as Error).message;
      const variable = /^Variable "\$(\w+)"/.exec(message)?.[1];
      if (error instanceof GraphQLError && (variable || /variables/i.test(message))) {
        throw badUserInputRefusal(variable ? `$${variable}` : 'variables', message);
      }
      throw error;
    }
    if (!byVariables) costs.set(document, (byVariables = new Map()));
    // Bounded: a client paging through cursors sends new variables every time.
    if (byVariables.size >= COSTS_PER_DOCUMENT) byVariables.delete(byVariables.keys().next().value!);
    byVariables.set(key, cost);
    return cost;
  }

  return {
    async requestDidStart() {
      let requested: number | undefined;
      return {
        async didResolveOperation({ request, document, schema, operationName, source, contextValue }) {
          const refusal = documentRefusal(document, source);
          if (refusal) throw refusal;
          requested = requestedCost(schema, document, request.variables ?? {}, operationName ?? undefined);
          const budget = contextValue.budget;
          budget.spent += requested;
          const over = requested > limits.maxCost ? requested : budget.spent > limits.maxCost ? budget.spent : undefined;
          if (over !== undefined) {
            const together = over !== requested ? `The operations of this request together cost ${over}` : `Operation cost ${over}`;
            throw limitExceeded(
              ErrorCode.COST_LIMIT_EXCEEDED,
              `${together}, over the limit of ${limits.maxCost}; ask for smaller pages (first/last, limit) or fewer nested lists.`,
              { cost: { requested: over, limit: limits.maxCost } },
            );
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || requested === undefined) return;
          const result = response.body.singleResult;
          const size = result.data instanceof RawJson ? measureJsonText(result.data.text) : measureResult(result.data);
          if (size.bytes > limits.maxResponseBytes) {
            const error = resultTooLarge(
              `The response would hold about ${size.bytes} bytes, over the limit of ${limits.maxResponseBytes}; ask for less.`,
            );
            response.body.singleResult = { errors: [{ message: error.message, extensions: { code: ErrorCode.RESULT_TOO_LARGE } }] };
            response.http.status = 400;
            return;
          }
          result.extensions = { ...result.extensions, cost: { requested, actual: size.objects, limit: limits.maxCost } };
        },
      };
    },
  };
}
