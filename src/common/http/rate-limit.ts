/**
 * Per-client rate limits (rate-limiter-flexible), so that one client cannot starve the others:
 * - requests: RATE_LIMIT_PER_SECOND per API key, or per address for requests without one;
 * - unknown or revoked keys: AUTH_FAILURES_PER_MINUTE per address, after which the address is
 *   refused for a minute (guessing keys is pointless — they have 256 bits — but each guess costs
 *   a database lookup).
 * Refusals are 429 RATE_LIMITED with `Retry-After`. With REDIS_URL the counters live in Redis and
 * every instance enforces one limit; if Redis stops answering, each instance falls back to its
 * own memory (the library's insurance limiter) rather than refusing or admitting everyone.
 */
import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode, rateLimited } from '../errors';
import type { Logger } from '../logger';
import { sendGraphQLErrors } from './graphql-errors';

export interface RateLimitOptions {
  perSecond: number;
  authFailuresPerMinute: number;
  redisUrl?: string;
}

export interface RateLimits {
  /** Express middleware: 429 for a client over its request rate, or an address blocked for bad keys. */
  middleware: RequestHandler;
  /** Records a request with a key that was refused; throws RATE_LIMITED once the address is over. */
  recordAuthFailure(req: Request): Promise<void>;
  /**
   * The same counters for clients that are not Express requests (subscriptions over WebSocket):
   * each returns the seconds to wait when the client is over its limit, else null.
   */
  forClient: {
    /** One request (a subscription started) by `client`: `key:<hash>` or `ip:<address>` (see clientKey). */
    consume(client: string): Promise<number | null>;
    /** Whether this address is blocked for unknown or revoked keys. */
    authBlocked(address: string): Promise<number | null>;
    /** Records a refused key from this address. */
    recordAuthFailure(address: string): Promise<number | null>;
  };
  close(): Promise<void>;
}

/** The client a request counts against: its key (hashed: keys are never kept) or its address. */
function clientOf(req: Request): string {
  return clientKey(req.headers.authorization, req.ip ?? '');
}

/** The client that an Authorization value and an address count as. */
export function clientKey(authorization: string | undefined, address: string): string {
  const bearer = /^Bearer\s+(\S+)/i.exec(authorization ?? '')?.[1];
  return bearer ? `key:${createHash('sha256').update(bearer).digest('hex').slice(0, 32)}` : `ip:${address}`;
}

const retryAfter = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

export function createRateLimits(options: RateLimitOptions, logger: Logger): RateLimits {
  const redis = options.redisUrl
    ? new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false })
    : undefined;
  let redisDown = false;
  redis?.on('error', (error) => {
    if (!redisDown) logger.warn(`rate limits: Redis unavailable (${error.message}); counting in this process until it is back`);
    redisDown = true;
  });
  redis?.on('ready', () => {
    if (redisDown) logger.info('rate limits: Redis available again');
    redisDown = false;
  });
  const limiter = (keyPrefix: string, points: number, duration: number, blockDuration = 0): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ keyPrefix, points, duration, blockDuration });
    return redis
      ? new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: `uscn:${keyPrefix}`,
          points,
          duration,
          blockDuration,
          insuranceLimiter: memory,
        })
      : memory;
  };
  const requests = options.perSecond > 0 ? limiter('requests', options.perSecond, 1) : undefined;
  const authFailures = options.authFailuresPerMinute > 0 ? limiter('auth', options.authFailuresPerMinute, 60, 60) : undefined;

  const middleware: RequestHandler = async (req, res, next) => {
    try {
      if (authFailures && req.headers.authorization) {
        const blocked = await authFailures.get(`ip:${req.ip}`);
        if (blocked && blocked.consumedPoints > options.authFailuresPerMinute) {
          return refuse(req, res, retryAfter(blocked), 'requests with unknown or revoked API keys');
        }
      }
      if (requests) await requests.consume(clientOf(req));
      next();
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return refuse(req, res, retryAfter(rejection), 'requests');
      // A failing store (with no insurance left) must not take the API down with it.
      logger.warn(`rate limits: not enforced for a request (${(rejection as Error).message})`);
      next();
    }
  };

  return {
    middleware,
    async recordAuthFailure(req) {
      if (!authFailures) return;
      try {
        await authFailures.consume(`ip:${req.ip}`);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) throw rateLimited(retryAfter(rejection), 'requests with unknown or revoked API keys');
      }
    },
    forClient: {
      async consume(client) {
        return requests ? refusalOf(() => requests.consume(client), logger) : null;
      },
      async authBlocked(address) {
        if (!authFailures) return null;
        const blocked = await authFailures.get(`ip:${address}`).catch(() => null);
        return blocked && blocked.consumedPoints > options.authFailuresPerMinute ? retryAfter(blocked) : null;
      },
      async recordAuthFailure(address) {
        return authFailures ? refusalOf(() => authFailures.consume(`ip:${address}`), logger) : null;
      },
    },
    async close() {
      redis?.disconnect();
    },
  };
}

/** Seconds to wait when the limiter refuses, null when it admits (or its store fails: never take the API down with it). */
async function refusalOf(consume: () => Promise<unknown>, logger: Logger): Promise<number | null> {
  try {
    await consume();
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return retryAfter(rejection);
    logger.warn(`rate limits: not enforced for a request (${(rejection as Error).message})`);
    return null;
  }
}

function refuse(req: Request, res: Parameters<RequestHandler>[1], seconds: number, what: string): void {
  sendGraphQLErrors(
    req,
    res,
    429,
    [{ message: `Too many ${what}; retry in ${seconds} s.`, extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: seconds } }],
    {
      'retry-after': String(seconds),
    },
  );
}
