/**
 * Where Apollo Server's defaults differ from the GraphQL-over-HTTP spec, checked by the
 * graphql-http audit suite (__tests__/http-compliance.test.ts).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { ErrorCode } from '../errors';

/**
 * For clients that accept only the legacy `application/json`, the spec asks for status 200 when
 * the document fails to parse or validate or its variables fail coercion (the errors are in the
 * body); Apollo answers 400. Clients accepting `application/graphql-response+json` keep the 4xx
 * codes that media type requires.
 */
export function legacyJsonStatusPlugin(): ApolloServerPlugin {
  const requestErrors = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', ErrorCode.BAD_USER_INPUT]);
  return {
    async requestDidStart({ request }) {
      const accept = request.http?.headers.get('accept') ?? '';
      if (accept.includes('application/graphql-response+json')) return;
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          const code = errors?.[0]?.extensions?.code;
          if (data === undefined && typeof code === 'string' && requestErrors.has(code) && response.http.status === 400) {
            response.http.status = 200;
          }
        },
      };
    },
  };
}

/**
 * Apollo's CSRF prevention refuses "simple" requests (no preflight) so that a hostile page
 * cannot make a browser send a request carrying the user's ambient credentials (cookies, basic
 * auth). A GET without such credentials has nothing to steal or abuse — this API's keys travel
 * as Bearer tokens, which browsers never add on their own — so those GETs are let through;
 * POSTs, and GETs that do carry cookies or basic auth, stay under Apollo's check.
 */
export const allowCredentiallessGet: RequestHandler = (req, _res, next) => {
  const ambient = req.headers.cookie !== undefined || /^basic /i.test(req.headers.authorization ?? '');
  if (req.method === 'GET' && !ambient) req.headers['apollo-require-preflight'] = 'true';
  next();
};

/** Batched requests (a JSON array of operations) are accepted up to `maxBatch` operations. */
export function limitBatchSize(maxBatch: number): RequestHandler {
  return (req, res, next) => {
    if (Array.isArray(req.body) && req.body.length > maxBatch) {
      res.status(400).json({
        errors: [
          {
            message: `A batch may hold at most ${maxBatch} operations; this one holds ${req.body.length}.`,
            extensions: { code: ErrorCode.BATCH_LIMIT_EXCEEDED },
          },
        ],
      });
      return;
    }
    next();
  };
}
