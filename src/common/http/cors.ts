/**
 * Cross-origin access for browser clients (dashboards served from other origins), via the
 * `cors` middleware, allowing the origins of CORS_ORIGINS (default `*`: any).
 *
 * Why `*` is a safe default for this API: reads are public, and writes need an API key sent as
 * `Authorization: Bearer`, which a browser never adds by itself — a page can only send a key it
 * already holds. Credentialed requests (cookies, HTTP authentication) are never allowed
 * cross-origin (no `Access-Control-Allow-Credentials`), so a hostile page cannot borrow a
 * visitor's ambient credentials; Apollo's CSRF prevention (and graphql-over-http.ts for GETs)
 * still refuses any "simple" request that skips the preflight. A deployment on a private
 * network, whose reads should not be readable by any page a colleague opens, lists its origins.
 */
import cors from 'cors';
import type { RequestHandler } from 'express';

export type AllowedOrigins = '*' | readonly string[];

/** Headers a cross-origin client may send: the key, GraphQL's content types, Apollo's CSRF header, a request id. */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'accept', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'];
/** Headers a cross-origin client may read: when to retry, how old a cached answer is, the request's id. */
const EXPOSED_HEADERS = ['retry-after', 'age', 'x-request-id'];
/** Seconds a browser may reuse a preflight's answer (Chromium caps it at 7200). */
const PREFLIGHT_MAX_AGE = 7_200;

export function originAllowed(allowed: AllowedOrigins, origin: string | undefined): boolean {
  // No Origin header: not a browser's cross-origin request (curl, scripts, servers).
  if (origin === undefined) return true;
  return allowed === '*' || allowed.includes(origin);
}

export function corsMiddleware(allowed: AllowedOrigins): RequestHandler {
  return cors({
    // '*' answers `Access-Control-Allow-Origin: *`; a list echoes the origin when it is on it
    // (with `Vary: Origin`), and says nothing otherwise, which the browser takes as a refusal.
    origin: allowed === '*' ? '*' : (origin, callback) => callback(null, originAllowed(allowed, origin)),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    credentials: false,
    maxAge: PREFLIGHT_MAX_AGE,
    optionsSuccessStatus: 204,
  });
}
