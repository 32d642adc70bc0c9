/**
 * The cost of an operation: an upper bound, computed before it runs, on the objects its
 * response can hold. Each object a field returns costs 1 and scalars nothing; a connection costs
 * its page size (`first`/`last`, default 20) times one item; a plain list costs what it can hold
 * (list-bounds.ts: the `limit` it was given, or its declared cap) times one item. Because every
 * list is bounded where it is read or written, the bound is real: nesting lists multiplies their
 * caps, and a query that would fan out to millions of objects is refused before it starts.
 *
 * The actual cost is the number of objects in the response.
 */
import { getNamedType, isLeafType, isListType, isNonNullType, type GraphQLOutputType } from 'graphql';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from '../pagination';
import { ITEMS_PER_ARGUMENT, MAX_ITEMS } from './list-bounds';

const isList = (type: GraphQLOutputType): boolean => isListType(isNonNullType(type) ? type.ofType : type);

/** Items a list field is costed at when it declares nothing (a schema test keeps this unused). */
export const UNDECLARED_LIST_ITEMS = 100;

export const costEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  if (isLeafType(getNamedType(field.type))) return 0;
  // Introspection is bounded by the document checks (document-limits.ts), not by cost.
  if (type.name.startsWith('__') || field.name.startsWith('__')) return 0;
  // A connection's edges: the page size was counted on the connection field itself.
  if (type.name.endsWith('Connection') && field.name === 'edges') return 1 + childComplexity;
  const pageSize = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : undefined;
  const isConnection = field.args.some((a) => a.name === 'first');
  if (isConnection) return 1 + Math.max(0, pageSize ?? DEFAULT_PAGE_SIZE) * childComplexity;
  if (isList(field.type)) return Math.max(0, listItems(field.extensions ?? {}, args)) * (1 + childComplexity);
  return 1 + childComplexity;
};

function listItems(extensions: Record<string, unknown>, args: Record<string, unknown>): number {
  if (typeof args.limit === 'number') return args.limit;
  const perArgument = extensions[ITEMS_PER_ARGUMENT];
  if (typeof perArgument === 'string' && Array.isArray(args[perArgument])) return (args[perArgument] as unknown[]).length;
  const max = extensions[MAX_ITEMS];
  return typeof max === 'number' ? max : UNDECLARED_LIST_ITEMS;
}

export interface ResultSize {
  /** Objects below the root: the actual cost. */
  objects: number;
  /** The response's size as JSON, roughly: strings, keys and a few bytes per other value. */
  bytes: number;
}

/** Measures a response's data in one pass (it runs on every response). */
export function measureResult(data: unknown): ResultSize {
  if (data === null || data === undefined) return { objects: 0, bytes: 0 };
  let objects = 0;
  let bytes = 0;
  const stack: unknown[] = [data];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      bytes += value.length + 2;
      continue;
    }
    if (value === null || typeof value !== 'object') {
      bytes += 6;
      continue;
    }
    if (Array.isArray(value)) {
      bytes += 2 + value.length;
      for (let i = 0; i < value.length; i++) stack.push(value[i]);
      continue;
    }
    objects += 1;
    bytes += 2;
    for (const key in value) {
      bytes += key.length + 4;
      stack.push((value as Record<string, unknown>)[key]);
    }
  }
  return { objects: objects - 1, bytes };
}
