/**
 * Runs a write transaction, and runs it again when PostgreSQL aborted it only because of other
 * transactions running at the same time: a serialization failure (40001) or a deadlock (40P01).
 * Such an abort says nothing about the write itself, and the next attempt usually succeeds, so
 * clients never see it. Any other error — a refusal the callback threw (CONFLICT, bad input), a
 * constraint — is the answer and is thrown at once.
 *
 * The callback must be safe to run more than once: everything it does goes through `tx`, which
 * is rolled back, and it must not keep state across attempts.
 */
import { isRetryableTransactionError } from '../common/errors';
import type { Prisma, PrismaClient } from '../generated/prisma/client';

export interface WriteTransactionOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** Longest wait for a connection from the pool, ms (Prisma's maxWait). */
  maxWait?: number;
  /** Longest the callback may run, ms (Prisma's timeout). */
  timeout?: number;
  /** Further errors worth another attempt, for a caller that knows a race behind them. */
  retryIf?: (error: unknown) => boolean;
}

/**
 * Thrown by a callback that found, under its locks, that something it checked before taking them
 * has changed since (a meeting it links to was deleted): the next attempt checks again, and
 * reports the problem the ordinary way.
 */
export class StaleCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StaleCheckError';
  }
}

export const DEFAULT_ATTEMPTS = 5;
/** Backoff before attempt n+1: a random wait up to min(BACKOFF_CAP_MS, BACKOFF_BASE_MS × 2^(n-1)). */
const BACKOFF_BASE_MS = 20;
const BACKOFF_CAP_MS = 500;

export async function writeTransaction<T>(
  prisma: PrismaClient,
  fn: (tx: Prisma.TransactionClient) => Promise<T>,
  options: WriteTransactionOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  for (let attempt = 1; ; attempt += 1) {
    try {
      // READ COMMITTED stated rather than assumed from the server's default: the writers'
      // locking (engagement.writer.ts) relies on each statement seeing what committed before it.
      return await prisma.$transaction(fn, { maxWait: options.maxWait, timeout: options.timeout, isolationLevel: 'ReadCommitted' });
    } catch (error) {
      const retryable = isRetryableTransactionError(error) || error instanceof StaleCheckError || (options.retryIf?.(error) ?? false);
      if (!retryable || attempt >= attempts) throw error;
      // Full jitter: transactions that collided once should not collide again in step.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1))));
    }
  }
}
