/**
 * Refuses operations that are too deep, use too many aliases, or would cost too much, before
 * any resolver runs; and reports every operation's cost in `extensions.cost`.
 *
 * Cost model: each object a field returns costs 1, scalars cost nothing. A connection costs
 * its page size (`first`/`last`, default 20) times what one of its items costs; a plain list
 * (a meeting's participants, say) is estimated at LIST_ESTIMATE items. The requested cost is
 * that upper bound; the actual cost counts the objects the response really holds.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  GraphQLError,
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  validate,
  type DocumentNode,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from './pagination';
import { ErrorCode } from './errors';

export interface OperationLimits {
  maxCost: number;
  maxDepth: number;
  maxAliases: number;
}

export const LIST_ESTIMATE = 10;

const isList = (type: GraphQLOutputType): boolean => isListType(isNonNullType(type) ? type.ofType : type);

export const costEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  if (isLeafType(getNamedType(field.type))) return 0;
  // A connection's edges: the page size was counted on the connection field itself.
  if (type.name.endsWith('Connection') && field.name === 'edges') return 1 + childComplexity;
  const pageSize = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : undefined;
  const isConnection = 'first' in args || 'last' in args || field.args.some((a) => a.name === 'first');
  if (isConnection) return 1 + (pageSize ?? DEFAULT_PAGE_SIZE) * childComplexity;
  if (isList(field.type)) return LIST_ESTIMATE * (1 + childComplexity);
  return 1 + childComplexity;
};

/** Objects in a response below its root: what the operation actually cost. */
export function actualCost(data: unknown): number {
  return data === null || data === undefined ? 0 : countObjects(data) - 1;
}

function countObjects(root: unknown): number {
  // Iterative: this runs on every response, and a 100-meeting page holds thousands of objects.
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push(value[i]);
      continue;
    }
    count += 1;
    for (const key in value) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object') stack.push(child);
    }
  }
  return count;
}

function limitError(code: string, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  // 400: the operation was refused before it ran, as for a validation failure.
  return new GraphQLError(message, { extensions: { code, ...extensions, http: { status: 400 } } });
}

// Apollo caches parsed documents, so a repeated operation arrives as the same DocumentNode: the
// depth and alias checks (which depend only on the document) run once per document, and the cost
// (which depends on the variables too, e.g. `first`) once per document and variables. The caches
// belong to one plugin instance, so servers with different limits never share them.
const COSTS_PER_DOCUMENT = 100;

function limitChecks(limits: OperationLimits) {
  const refusals = new WeakMap<DocumentNode, { code: string; message: string } | null>();
  const costs = new WeakMap<DocumentNode, Map<string, number>>();

  function shapeRefusal(schema: GraphQLSchema, document: DocumentNode): GraphQLError | null {
    let refusal = refusals.get(document);
    if (refusal === undefined) {
      refusal = null;
      const checks = [
        [ErrorCode.DEPTH_LIMIT_EXCEEDED, maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, exposeLimits: true })],
        [ErrorCode.ALIAS_LIMIT_EXCEEDED, maxAliasesRule({ n: limits.maxAliases, exposeLimits: true })],
      ] as const;
      for (const [code, rule] of checks) {
        let error: Error | undefined;
        try {
          [error] = validate(schema, document, [rule]);
        } catch (thrown) {
          // graphql-armor's rules throw their rejection rather than report it.
          error = thrown as Error;
        }
        if (error) {
          refusal = { code, message: error.message.replace(/^Syntax Error: /, '') };
          break;
        }
      }
      refusals.set(document, refusal);
    }
    return refusal && limitError(refusal.code, refusal.message);
  }

  function requestedCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName?: string): number {
    const key = `${operationName ?? ''}\u0000${JSON.stringify(variables)}`;
    let byVariables = costs.get(document);
    const cached = byVariables?.get(key);
    if (cached !== undefined) return cached;
    const cost = getComplexity({ schema, query: document, variables, operationName, estimators: [costEstimator] });
    if (!byVariables) costs.set(document, (byVariables = new Map()));
    // Bounded: a client paging through cursors sends new variables every time.
    if (byVariables.size >= COSTS_PER_DOCUMENT) byVariables.delete(byVariables.keys().next().value!);
    byVariables.set(key, cost);
    return cost;
  }

  return { shapeRefusal, requestedCost };
}

export function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin {
  const { shapeRefusal, requestedCost } = limitChecks(limits);
  return {
    async requestDidStart() {
      let requested: number | undefined;
      return {
        async didResolveOperation({ request, document, schema, operationName }) {
          const refusal = shapeRefusal(schema, document);
          if (refusal) throw refusal;
          requested = requestedCost(schema, document, request.variables ?? {}, operationName ?? undefined);
          if (requested > limits.maxCost) {
            throw limitError(
              ErrorCode.COST_LIMIT_EXCEEDED,
              `Operation cost ${requested} exceeds the limit of ${limits.maxCost}; ask for smaller pages (first/last) or fewer nested lists.`,
              { cost: { requested, limit: limits.maxCost } },
            );
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || requested === undefined) return;
          const result = response.body.singleResult;
          result.extensions = {
            ...result.extensions,
            cost: { requested, actual: actualCost(result.data), limit: limits.maxCost },
          };
        },
      };
    },
  };
}
