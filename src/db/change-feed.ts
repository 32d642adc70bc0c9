/**
 * Tells this process when the data set changed, whoever changed it: every committed write to a
 * data table fires a statement trigger that sends NOTIFY data_changed (migration
 * change_notifications), and this holds one connection that LISTENs for it. Another server
 * instance, `npm run import`, or an edit made by hand in psql all reach it.
 *
 * `generation` goes up on every change. While the connection is down, changes could be missed,
 * so `live` is false and whatever relies on the feed (the response cache) must not trust it;
 * on reconnecting the generation goes up once more, since anything may have changed meanwhile.
 *
 * Other channels can be listened to on the same connection (`listen`), with their payloads:
 * subscriptions learn from them which records changed (modules/subscriptions). `onReconnect`
 * tells them when notifications may have been missed.
 */
import pg from 'pg';
import type { Logger } from '../common/logger';

export const CHANGE_CHANNEL = 'data_changed';

export class ChangeFeed {
  private generationValue = 0;
  private client: pg.Client | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelay = 500;
  private readonly handlers = new Map<string, ((payload: string) => void)[]>();
  private readonly reconnectHandlers: (() => void)[] = [];

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {}

  /** Increases on every change notified, and whenever notifications may have been missed. */
  get generation(): number {
    return this.generationValue;
  }

  /** True while the LISTEN connection is up, so that no change can go unnoticed. */
  get live(): boolean {
    return this.client !== null;
  }

  /** Marks a change this process made itself, without waiting for its notification to come back. */
  changed(): void {
    this.generationValue += 1;
  }

  /**
   * Calls `handler` with the payload of every notification on `channel`, on this feed's
   * connection (listening starts at once if it is up, else when it connects).
   */
  listen(channel: string, handler: (payload: string) => void): void {
    const list = this.handlers.get(channel) ?? [];
    list.push(handler);
    this.handlers.set(channel, list);
    if (list.length === 1) this.client?.query(`LISTEN "${channel.replace(/"/g, '""')}"`).catch(() => undefined);
  }

  /** Calls `handler` whenever the connection is (re)established: notifications may have been missed before. */
  onReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler);
  }

  /** Connects and listens; resolves once listening, or once the first attempt failed (it retries). */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'engagements-change-feed' });
    const lost = (reason: string) => {
      if (this.client !== client) return;
      this.client = null;
      this.generationValue += 1;
      this.logger.warn(`change feed: connection lost (${reason}); responses are not cached until it is back`);
      client.end().catch(() => undefined);
      this.scheduleRetry();
    };
    client.on('notification', (message) => {
      // Every channel listened to speaks of a committed write.
      this.generationValue += 1;
      for (const handler of this.handlers.get(message.channel) ?? []) {
        try {
          handler(message.payload ?? '');
        } catch (error) {
          this.logger.error(`change feed: a handler for ${message.channel} failed`, error);
        }
      }
    });
    client.on('error', (error) => lost(error.message));
    client.on('end', () => lost('connection closed'));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      for (const channel of this.handlers.keys()) await client.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
    } catch (error) {
      client.end().catch(() => undefined);
      this.logger.warn(`change feed: cannot listen for changes (${(error as Error).message}); retrying`);
      this.scheduleRetry();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryDelay = 500;
    // Anything written while nobody was listening is unknown: start a new generation.
    this.generationValue += 1;
    for (const handler of this.reconnectHandlers) handler();
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, this.retryDelay);
    this.retryTimer.unref();
    this.retryDelay = Math.min(this.retryDelay * 2, 30_000);
  }
}
