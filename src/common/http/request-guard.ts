/**
 * Everything a GraphQL request is refused for before Apollo sees it: the size and shape of its
 * documents (limits/document-limits.ts), the size of its variables (limits/variable-limits.ts),
 * malformed persisted-query extensions, and, in trusted-documents mode, operations not on the
 * list. Each refusal is a coded error in a GraphQL JSON body, at 4xx, costing well under a
 * millisecond for a document seen before (decisions are remembered by the document's hash).
 *
 * Mounted after body parsing; GET requests carry their operation in the URL.
 */
import type { Request, RequestHandler, Response } from 'express';
import { ErrorCode } from '../errors';
import { checkDocument, type DocumentLimits, type DocumentRefusal } from '../limits/document-limits';
import { checkVariables } from '../limits/variable-limits';
import { sha256, type TrustedDocuments } from '../limits/trusted-documents';
import { sendGraphQLErrors } from './graphql-errors';

export interface GuardOptions {
  limits: DocumentLimits;
  /** Trusted-documents mode: only these operations run. */
  trusted?: TrustedDocuments;
}

interface Operation {
  query?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

/**
 * Documents whose decision is remembered (by hash, or by their text: at most MAX_DOCUMENT_BYTES
 * each, so the memory this holds is bounded); a dashboard sends the same few over and over.
 */
const REMEMBERED_DOCUMENTS = 1_000;

export function requestGuard({ limits, trusted }: GuardOptions): RequestHandler {
  const decisions = new Map<string, DocumentRefusal | null>();
  const decide = (query: string, hash: string): DocumentRefusal | null => {
    let decision = decisions.get(hash);
    if (decision === undefined) {
      decision = checkDocument(query, limits);
      if (decisions.size >= REMEMBERED_DOCUMENTS) decisions.delete(decisions.keys().next().value!);
      decisions.set(hash, decision);
    }
    return decision;
  };

  return (req, res, next) => {
    const operations = operationsOf(req);
    for (let index = 0; index < operations.length; index++) {
      const operation = operations[index];
      const where = operations.length > 1 ? { operationIndex: index } : {};
      const refusal = checkOperation(operation, decide, limits, trusted);
      if (refusal === 'substituted' && req.method === 'GET') rewriteGetQuery(req, operation.query as string);
      else if (refusal && refusal !== 'substituted') return refuse(req, res, refusal, where);
    }
    next();
  };
}

type Decide = (query: string, hash: string) => DocumentRefusal | null;

function checkOperation(
  operation: Operation,
  decide: Decide,
  limits: DocumentLimits,
  trusted: TrustedDocuments | undefined,
): DocumentRefusal | 'substituted' | null {
  if (operation === null || typeof operation !== 'object') return null; // Apollo answers what is not an operation
  const persisted = (operation.extensions as { persistedQuery?: unknown } | undefined)?.persistedQuery;
  let hash: string | undefined;
  if (persisted !== undefined) {
    const { version, sha256Hash } = (persisted ?? {}) as { version?: unknown; sha256Hash?: unknown };
    if (version !== 1) return badRequest('extensions.persistedQuery.version must be 1 (the only version there is)');
    if (typeof sha256Hash !== 'string' || !/^[0-9a-f]{64}$/.test(sha256Hash)) {
      return badRequest('extensions.persistedQuery.sha256Hash must be the 64 hexadecimal digits of a SHA-256');
    }
    hash = sha256Hash;
  }
  let substituted = false;
  if (typeof operation.query === 'string') {
    // Hashing is bounded by the size limit first: never hash megabytes to refuse them.
    if (Buffer.byteLength(operation.query, 'utf8') > limits.maxDocumentBytes) return checkDocument(operation.query, limits);
    // The hash is needed only to check one sent with the query, or against a trusted list;
    // otherwise the document's decision is remembered by its text (hashing showed in profiles).
    if (hash !== undefined || trusted) {
      const actual = sha256(operation.query);
      if (hash !== undefined && hash !== actual)
        return badRequest('extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent');
      hash = actual;
    }
  } else if (trusted && hash !== undefined && trusted.get(hash) !== undefined) {
    // A listed operation sent by hash alone never needs registering first.
    operation.query = trusted.get(hash);
    substituted = true;
  }
  if (trusted && (hash === undefined || trusted.get(hash) === undefined)) {
    return {
      code: ErrorCode.PERSISTED_QUERY_NOT_IN_LIST,
      message: 'This server runs only the operations on its trusted-documents list; this one is not on it.',
    };
  }
  if (typeof operation.query === 'string') {
    const refusal = decide(operation.query, hash ?? operation.query);
    if (refusal) return refusal;
  }
  const variables = typeof operation.variables === 'string' ? parseJson(operation.variables) : operation.variables;
  const refusal = checkVariables(variables);
  if (refusal) return refusal;
  return substituted ? 'substituted' : null;
}

function badRequest(message: string): DocumentRefusal {
  return { code: ErrorCode.BAD_REQUEST, message };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // Apollo reports unparseable variables itself
  }
}

function operationsOf(req: Request): Operation[] {
  if (req.method === 'GET') {
    const query = req.query as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const extensions = text(query.extensions);
    return [{ query: text(query.query), variables: text(query.variables), extensions: extensions && parseJson(extensions) }];
  }
  if (Array.isArray(req.body)) return req.body as Operation[];
  return [req.body as Operation];
}

/** A GET for a trusted operation by hash: Apollo reads GET operations from the URL. */
function rewriteGetQuery(req: Request, query: string): void {
  const url = new URL(req.url, 'http://localhost');
  url.searchParams.set('query', query);
  req.url = `${url.pathname}${url.search}`;
}

function refuse(req: Request, res: Response, refusal: DocumentRefusal, where: Record<string, unknown>): void {
  const extensions: Record<string, unknown> & { code: string } = { code: refusal.code, ...where };
  if (refusal.limit) extensions.limit = refusal.limit;
  if (refusal.argumentName) extensions.argumentName = refusal.argumentName;
  sendGraphQLErrors(req, res, 400, [{ message: refusal.message, extensions }]);
}
