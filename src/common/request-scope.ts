/**
 * The life of one HTTP request, visible to code that has no handle on the request: the database
 * client (src/db/prisma.ts) reads it to cancel a request's SQL when the request is given up,
 * because its deadline passed or its client hung up. Carried by AsyncLocalStorage, so it
 * follows the request through Apollo, resolvers, loaders and Prisma without being passed along.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** Its deadline passed; its client hung up; the database was found down while it waited. */
export type AbortReason = 'timeout' | 'disconnect' | 'unavailable';

export interface RequestScope {
  /** Aborted when the request is given up; its reason is an AbortReason. */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  /** Why the request was given up, if it was. */
  readonly aborted: AbortReason | undefined;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** The scope of the request whose work is running now, if any. */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}

export function runInRequestScope<T>(scope: RequestScope, run: () => T): T {
  return storage.run(scope, run);
}

export interface RequestScopeHandle {
  scope: RequestScope;
  abort(reason: AbortReason): void;
  /** Stops the deadline timer; call when the response is sent. */
  dispose(): void;
}

/** A scope whose deadline aborts it after `timeoutMs`. */
export function createRequestScope(timeoutMs: number): RequestScopeHandle {
  const controller = new AbortController();
  let reason: AbortReason | undefined;
  const abort = (why: AbortReason) => {
    if (reason) return;
    reason = why;
    controller.abort(why);
  };
  const timer = setTimeout(() => abort('timeout'), timeoutMs);
  timer.unref();
  return {
    scope: {
      signal: controller.signal,
      timeoutMs,
      get aborted() {
        return reason;
      },
    },
    abort,
    dispose: () => clearTimeout(timer),
  };
}

/** What the database client throws for work asked for after its request was given up. */
export class RequestAbortedError extends Error {
  constructor(readonly reason: AbortReason) {
    super(reason === 'timeout' ? 'request deadline passed' : reason === 'unavailable' ? 'database unavailable' : 'client disconnected');
    this.name = 'RequestAbortedError';
  }
}
