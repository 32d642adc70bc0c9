/**
 * The app on a real socket, in this process: for tests about HTTP, limits and failures.
 */
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../src/common/logger';
import { createLogger } from '../../src/common/logger';
import type { PrismaClient } from '../../src/generated/prisma/client';
import { createApp, type App, type AppOptions } from '../../src/server';

export interface HttpApp {
  app: App;
  /** The /graphql endpoint. */
  url: string;
  origin: string;
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any; text: string }>;
  stop(): Promise<void>;
}

/** A logger that keeps its lines, for tests about what is logged. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (message: string, error?: unknown) =>
    lines.push(`${level} ${message}${error instanceof Error ? `: ${error.stack ?? error.message}` : ''}`);
  return { lines, debug: push('DEBUG'), info: push('INFO'), warn: push('WARN'), error: push('ERROR') };
}

export async function startHttpApp(options: {
  prisma: PrismaClient;
  databaseUrl?: string;
  config?: AppOptions['config'];
  logger?: Logger;
  /** Enables subscriptions (and, with responseCacheBytes, the response cache). */
  changeFeed?: AppOptions['changeFeed'];
}): Promise<HttpApp> {
  const app = await createApp({
    prisma: options.prisma,
    databaseUrl: options.databaseUrl,
    // Rate limits are off unless a test is about them: suites send hundreds of requests a second.
    config: { rateLimit: { perSecond: 0, authFailuresPerMinute: 0 }, ...options.config },
    logger: options.logger ?? createLogger('silent'),
    changeFeed: options.changeFeed,
  });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
  const url = `${origin}/graphql`;
  return {
    app,
    url,
    origin,
    async post(body, headers = {}) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
    async stop() {
      await app.apollo.stop();
      await app.close();
    },
  };
}
