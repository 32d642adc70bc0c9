/**
 * Bounds on the variables of an operation, checked on the JSON before graphql-js coerces it.
 * Coercion builds an error object, with its path, for every element that does not fit: an array
 * of a million wrong elements blocked the event loop for over a minute and left 3 GB behind.
 * Here one iterative walk, which stops at the first excess, bounds array lengths, the number of
 * values and their nesting, and refuses NUL characters, which PostgreSQL text cannot hold.
 */
import { ErrorCode } from '../errors';
import type { DocumentRefusal } from './document-limits';

/** Longest array in any variable: far above any list argument's own maximum. */
export const MAX_VARIABLE_ARRAY = 1_000;
/** Values (objects, arrays, scalars) in all variables together. */
export const MAX_VARIABLE_VALUES = 20_000;
/** Nesting of objects and arrays. */
export const MAX_VARIABLE_NESTING = 32;

export function checkVariables(variables: unknown): DocumentRefusal | null {
  if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) return null;
  const stack: { value: unknown; path: string; depth: number }[] = Object.entries(variables).map(([name, value]) => ({
    value,
    path: `$${name}`,
    depth: 1,
  }));
  let values = 0;
  const refuse = (path: string, message: string): DocumentRefusal => ({
    code: ErrorCode.BAD_USER_INPUT,
    argumentName: path,
    message: `${path}: ${message}`,
  });
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    values += 1;
    if (values > MAX_VARIABLE_VALUES) return refuse(path, `the variables hold more than ${MAX_VARIABLE_VALUES} values`);
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return refuse(path, 'contains a NUL character, which text cannot hold');
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_VARIABLE_NESTING) return refuse(path, `nests more than ${MAX_VARIABLE_NESTING} levels deep`);
    if (Array.isArray(value)) {
      if (value.length > MAX_VARIABLE_ARRAY) return refuse(path, `holds ${value.length} items; the limit is ${MAX_VARIABLE_ARRAY}`);
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 });
    } else {
      for (const [key, child] of Object.entries(value)) {
        if (key.includes('\u0000')) return refuse(path, 'has a key with a NUL character');
        stack.push({ value: child, path: `${path}.${key}`, depth: depth + 1 });
      }
    }
  }
  return null;
}
