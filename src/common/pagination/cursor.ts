/**
 * Page requests and cursors. A cursor holds the sort-key values of its row, so a page is found by
 * an index range scan (keyset.ts), never by OFFSET, and stays correct while rows are added.
 */
import { badUserInput } from '../errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type PageArgs } from './page-args';

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
  for (const [name, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
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
