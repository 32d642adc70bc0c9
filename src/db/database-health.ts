/**
 * Whether the database answers, asked of the database itself: a fresh connection (not one from
 * the pool, which may merely be busy) that runs SELECT 1 within a timeout. The server asks when
 * an unexpected error might be an outage (to answer 503 instead of 500), and /health asks on
 * every call.
 *
 * State changes are logged once each ("unavailable", then "available again"), never per
 * request: during an outage every request fails, and a stack per request would bury the logs.
 * While the database is down it is probed every second, so the change back is noticed, and
 * logged, even when no request comes in.
 */
import pg from 'pg';
import type { Logger } from '../common/logger';

/**
 * A probe's answer is reused for this long: a burst of failing requests costs one probe, and a
 * probe started ahead of a deadline (server.ts) is still fresh when the deadline passes.
 */
const PROBE_REUSE_MS = 1_000;
const REPROBE_WHILE_DOWN_MS = 1_000;

export class DatabaseHealth {
  private up = true;
  private readonly downListeners = new Set<() => void>();
  private downSince = 0;
  private lastProbe: { at: number; ok: boolean } | undefined;
  private inFlight: Promise<boolean> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
    private readonly probeTimeoutMs = 2_000,
  ) {}

  /** As of the last probe. */
  get available(): boolean {
    return this.up;
  }

  /** Asks the database now, or reuses an answer under PROBE_REUSE_MS old unless `fresh`. */
  check(options: { fresh?: boolean } = {}): Promise<boolean> {
    if (!options.fresh && this.lastProbe && Date.now() - this.lastProbe.at < PROBE_REUSE_MS) return Promise.resolve(this.lastProbe.ok);
    this.inFlight ??= this.probe().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Called each time the database is found down (server.ts gives up the requests waiting on it). */
  onDown(listener: () => void): () => void {
    this.downListeners.add(listener);
    return () => this.downListeners.delete(listener);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async probe(): Promise<boolean> {
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      connectionTimeoutMillis: this.probeTimeoutMs,
      query_timeout: this.probeTimeoutMs,
      application_name: 'engagements-health',
    });
    client.on('error', () => undefined);
    let ok = false;
    let reason = '';
    try {
      await client.connect();
      await client.query('SELECT 1');
      ok = true;
    } catch (error) {
      reason = (error as Error).message;
    } finally {
      client.end().catch(() => undefined);
    }
    this.lastProbe = { at: Date.now(), ok };
    this.record(ok, reason);
    return ok;
  }

  private record(ok: boolean, reason: string): void {
    if (ok && !this.up) {
      this.up = true;
      this.logger.info(`database available again after ${((Date.now() - this.downSince) / 1000).toFixed(1)} s`);
    } else if (!ok && this.up) {
      this.up = false;
      this.downSince = Date.now();
      this.logger.warn(`database unavailable (${reason}); answering 503 until it is back`);
      for (const listener of this.downListeners) listener();
    }
    if (!this.up && !this.timer && !this.stopped) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.lastProbe = undefined;
        void this.check();
      }, REPROBE_WHILE_DOWN_MS);
      this.timer.unref();
    }
  }
}
