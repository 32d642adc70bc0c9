/**
 * Errors answered by the HTTP layer itself (before or outside Apollo), in the shape GraphQL
 * clients read: `{ "errors": [{ "message", "extensions": { "code" } }] }`, never an HTML page.
 */
import type { ErrorRequestHandler, Request, Response } from 'express';
import { ErrorCode } from '../errors';
import type { Logger } from '../logger';

export interface HttpGraphQLError {
  message: string;
  extensions: Record<string, unknown> & { code: string };
}

export function sendGraphQLErrors(
  req: Request,
  res: Response,
  status: number,
  errors: HttpGraphQLError[],
  headers: Record<string, string> = {},
): void {
  const modern = (req.headers.accept ?? '').includes('application/graphql-response+json');
  res.status(status);
  res.setHeader('content-type', `${modern ? 'application/graphql-response+json' : 'application/json'}; charset=utf-8`);
  res.setHeader('cache-control', 'no-store');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  // For the request's log line and metrics (observability/request-log.ts).
  res.locals.errorCodes = errors.map((error) => error.extensions.code);
  res.end(JSON.stringify({ errors }));
}

/**
 * Failures of body parsing (express.json) as GraphQL errors: a body that is not JSON, too big,
 * or in a charset the server does not read. Anything else reaching Express's error handling is
 * a bug: logged in full here, answered with its code only.
 */
export function httpErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const type = (error as { type?: string }).type;
    const status = (error as { status?: number }).status;
    if (type === 'entity.parse.failed') {
      return sendGraphQLErrors(req, res, 400, [
        { message: `The request body is not valid JSON: ${(error as Error).message}`, extensions: { code: ErrorCode.BAD_REQUEST } },
      ]);
    }
    if (type === 'entity.too.large') {
      const limit = (error as { limit?: number }).limit;
      return sendGraphQLErrors(req, res, 413, [
        {
          message: `The request body is larger than ${limit} bytes.`,
          extensions: { code: ErrorCode.DOCUMENT_LIMIT_EXCEEDED, limit: 'body' },
        },
      ]);
    }
    if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
      return sendGraphQLErrors(req, res, 415, [{ message: (error as Error).message, extensions: { code: ErrorCode.BAD_REQUEST } }]);
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendGraphQLErrors(req, res, status, [{ message: (error as Error).message, extensions: { code: ErrorCode.BAD_REQUEST } }]);
    }
    logger.error('unexpected error in the HTTP layer', error);
    sendGraphQLErrors(req, res, 500, [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }]);
  };
}
