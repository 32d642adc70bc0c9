/**
 * The async iterators behind subscriptions. Hand-written rather than async generators: a
 * generator waiting for its next event cannot be stopped until that event comes (return() is
 * queued behind the pending next()), so a client that unsubscribes from a quiet stream would
 * leave its listener registered until the next write. These end at once.
 */
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../common/errors';

/** Events a subscriber may have waiting before it is cut off (it does not read as fast as they come). */
export const MAX_BACKLOG = 1_000;

export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private waiting: { resolve(result: IteratorResult<T>): void; reject(error: unknown): void } | null = null;
  private failure: unknown = null;
  private closed = false;

  /** `onClose` runs once, when the consumer stops or the queue fails: unregister there. */
  constructor(
    private readonly onClose: () => void,
    private readonly capacity = MAX_BACKLOG,
  ) {}

  push(value: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const waiting = this.waiting;
      this.waiting = null;
      waiting.resolve({ value, done: false });
      return;
    }
    if (this.buffer.length >= this.capacity) {
      this.fail(
        new GraphQLError(`This subscription fell more than ${this.capacity} events behind and was ended; subscribe again.`, {
          extensions: { code: ErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED, limit: 'backlog' },
        }),
      );
      return;
    }
    this.buffer.push(value);
  }

  /** Ends the stream with an error, delivered after the events already queued. */
  fail(error: unknown): void {
    if (this.closed) return;
    this.finish();
    if (this.waiting) {
      const waiting = this.waiting;
      this.waiting = null;
      waiting.reject(error);
    } else {
      this.failure = error;
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift()!, done: false });
    if (this.failure !== null) {
      const failure = this.failure;
      this.failure = null;
      return Promise.reject(failure);
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    this.finish();
    this.buffer.length = 0;
    this.failure = null;
    if (this.waiting) {
      const waiting = this.waiting;
      this.waiting = null;
      waiting.resolve({ value: undefined, done: true });
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }
}

/** Returned by a step to drop an event. */
export const SKIP: unique symbol = Symbol('skip');

/**
 * Each event of `source` through `step`, in order, one at a time (the next is read only once the
 * consumer asks for it); events the step answers SKIP are dropped. Stopping it stops the source.
 */
export function transform<T, U>(
  source: AsyncIterator<T>,
  step: (value: T) => Promise<U | typeof SKIP> | U | typeof SKIP,
): AsyncIterableIterator<U> {
  const stop = async (): Promise<IteratorResult<U>> => {
    await source.return?.();
    return { value: undefined, done: true };
  };
  return {
    async next() {
      for (;;) {
        let value: U | typeof SKIP;
        try {
          const event = await source.next();
          if (event.done) return { value: undefined, done: true };
          value = await step(event.value);
        } catch (error) {
          await source.return?.();
          throw error;
        }
        if (value !== SKIP) return { value: value as U, done: false };
      }
    },
    return: stop,
    async throw(error) {
      await stop();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
