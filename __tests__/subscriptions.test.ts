/**
 * Subscriptions over WebSocket with a real graphql-ws client, on real servers and PostgreSQL:
 * what they deliver, from which writers (another process, another server instance), that a
 * rolled-back write delivers nothing, and the checks and limits each connection meets.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { ChangeFeed } from '../src/db/change-feed';
import { createLogger } from '../src/common/logger';
import { createApiKey } from '../src/modules/auth/api-key.service';
import { PROJECT_ROOT } from '../src/paths';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startHttpApp, type HttpApp } from './helpers/http-app';
import { fixtureMeetingInput } from './fixtures/records';

let db: TestDatabase;
let feed: ChangeFeed;
let api: HttpApp;
const keys = { viewer: '', editor: '', admin: '' };
const clients: Client[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  feed = new ChangeFeed(db.url, createLogger('silent'));
  await feed.start();
  api = await startHttpApp({ prisma: db.prisma, databaseUrl: db.url, changeFeed: feed });
  keys.viewer = (await createApiKey(db.prisma, 'viewer key', 'VIEWER')).key;
  keys.editor = (await createApiKey(db.prisma, 'editor key', 'EDITOR')).key;
  keys.admin = (await createApiKey(db.prisma, 'admin key', 'ADMIN')).key;
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});
afterAll(async () => {
  await api?.stop();
  await feed?.stop();
  await db?.drop();
});

const wsUrl = (app: HttpApp) => app.url.replace(/^http/, 'ws');

function connect(
  app: HttpApp,
  connectionParams?: Record<string, unknown>,
  closed?: (event: { code: number; reason: string }) => void,
): Client {
  const client = createClient({
    url: wsUrl(app),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => closed?.(event as { code: number; reason: string }) },
  });
  clients.push(client);
  return client;
}

interface Stream<T = any> {
  /** The next event, or a failure after `timeoutMs`. */
  next(timeoutMs?: number): Promise<{ data?: T; errors?: any[] }>;
  /** Resolves when nothing arrives within `ms`. */
  quiet(ms: number): Promise<void>;
  errors: any[];
  completed: boolean;
}

function subscribe<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Stream<T> {
  const queue: { data?: T; errors?: any[] }[] = [];
  const waiting: ((event: { data?: T; errors?: any[] }) => void)[] = [];
  const stream: Stream<T> = {
    errors: [],
    completed: false,
    next(timeoutMs = 5_000) {
      const ready = queue.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no event within ${timeoutMs} ms (errors: ${JSON.stringify(stream.errors)})`)),
          timeoutMs,
        );
        waiting.push((event) => {
          clearTimeout(timer);
          resolve(event);
        });
      });
    },
    async quiet(ms) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      if (queue.length > 0) throw new Error(`unexpected events: ${JSON.stringify(queue)}`);
    },
  };
  const deliver = (event: { data?: T; errors?: any[] }) => {
    const taker = waiting.shift();
    if (taker) taker(event);
    else queue.push(event);
  };
  client.subscribe<T>(
    { query, variables },
    {
      next: (event) => deliver(event as { data?: T; errors?: any[] }),
      error: (error) => {
        const errors = Array.isArray(error) ? error : [error];
        stream.errors.push(...errors);
        deliver({ errors });
      },
      complete: () => {
        stream.completed = true;
      },
    },
  );
  return stream;
}

/** Waits until `app` has `count` subscriptions listening, so that a write made next reaches them. */
async function listening(app: HttpApp, count: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (app.app.subscriptions!.listeners < count) {
    if (Date.now() > deadline) throw new Error(`only ${app.app.subscriptions!.listeners} of ${count} subscriptions listening`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A write made by another process: a node child with its own connection. Returns when it committed (epoch ms). */
async function writeFromAnotherProcess(sql: string): Promise<number> {
  const script = `
    const pg = require('pg');
    const client = new pg.Client(process.env.TARGET_URL);
    client.connect()
      .then(() => client.query(process.env.SQL))
      .then(() => { process.stdout.write(String(Date.now())); return client.end(); })
      .catch((error) => { console.error(error); process.exit(1); });`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, TARGET_URL: db.url, SQL: sql },
  });
  return Number(stdout);
}

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

const meetingInput = (slug: string, title: string) => fixtureMeetingInput({ slug, title, channels: ['military'] });

const UPSERT = 'mutation ($input: MeetingInput!) { upsertMeeting(input: $input) { slug version } }';

describe('what subscribers receive', () => {
  test('dataChanged: a commit by another process arrives within 1 s, with record type, slug and action', async () => {
    const events = subscribe(connect(api), 'subscription { dataChanged { recordType slug action } }');
    await listening(api, 1);
    const committed = await writeFromAnotherProcess("UPDATE meeting SET summary = 'edited in psql' WHERE slug = '2023-11-15-woodside'");
    const event = await events.next(2_000);
    const received = Date.now();
    expect(event.data).toEqual({ dataChanged: { recordType: 'Meeting', slug: '2023-11-15-woodside', action: 'UPDATE' } });
    expect(received - committed).toBeLessThan(1_000);
  });

  test('a rolled-back write reaches no one; the next committed one does', async () => {
    const events = subscribe(connect(api), 'subscription { dataChanged { recordType slug action } }');
    await listening(api, 1);
    await writeFromAnotherProcess("BEGIN; UPDATE meeting SET title = 'never' WHERE slug = '2023-11-15-woodside'; ROLLBACK;");
    await writeFromAnotherProcess("UPDATE meeting SET summary = 'committed' WHERE slug = '2024-04-02-biden-xi-call'");
    const event = await events.next();
    expect(event.data!.dataChanged.slug).toBe('2024-04-02-biden-xi-call');
    await events.quiet(300);
  });

  test('meetingChanged: the meeting as it now is after each write through the API, then its deletion', async () => {
    const slug = '2030-06-01-subscribed';
    const events = subscribe(
      connect(api),
      `subscription ($slug: String!) { meetingChanged(slug: $slug) { slug action meeting { title version outcomes { status description } } } }`,
      { slug },
    );
    await listening(api, 1);
    const created = await api.post(
      { query: UPSERT, variables: { input: meetingInput(slug, 'First title') } },
      { authorization: `Bearer ${keys.editor}` },
    );
    expect(created.body.errors).toBeUndefined();
    const first = await events.next();
    expect(first.data!.meetingChanged).toEqual({
      slug,
      action: 'CREATE',
      meeting: { title: 'First title', version: 1, outcomes: [{ status: 'AGREED', description: 'Fixture: agreed to meet again.' }] },
    });
    const changed = await api.post(
      {
        query: UPSERT,
        variables: {
          input: {
            ...meetingInput(slug, 'Second title'),
            version: 1,
            outcomes: [{ channel: 'military', description: 'Carried out.', status: 'IMPLEMENTED' }],
          },
        },
      },
      { authorization: `Bearer ${keys.editor}` },
    );
    expect(changed.body.errors).toBeUndefined();
    const second = await events.next();
    // Read after the write: the new title and the new outcome, not what the first event loaded.
    expect(second.data!.meetingChanged).toEqual({
      slug,
      action: 'UPDATE',
      meeting: { title: 'Second title', version: 2, outcomes: [{ status: 'IMPLEMENTED', description: 'Carried out.' }] },
    });
    const deleted = await api.post(
      { query: `mutation { deleteMeeting(slug: "${slug}", version: 2) }` },
      { authorization: `Bearer ${keys.editor}` },
    );
    expect(deleted.body.data).toEqual({ deleteMeeting: true });
    expect((await events.next()).data!.meetingChanged).toEqual({ slug, action: 'DELETE', meeting: null });
  });

  test('meetingChanged ignores writes to other meetings', async () => {
    const events = subscribe(connect(api), 'subscription { meetingChanged(slug: "2023-11-15-woodside") { action } }');
    await listening(api, 1);
    await writeFromAnotherProcess("UPDATE meeting SET summary = 'other' WHERE slug = '2024-04-02-biden-xi-call'");
    await events.quiet(400);
    await writeFromAnotherProcess(
      "UPDATE outcome SET note = 'a part changed' WHERE id = (SELECT min(o.id) FROM outcome o JOIN meeting m ON m.id = o.meeting_id WHERE m.slug = '2023-11-15-woodside')",
    );
    expect((await events.next()).data).toEqual({ meetingChanged: { action: 'UPDATE' } });
  });

  test('with two server instances on one database, a write through one is pushed by the other', async () => {
    const otherFeed = new ChangeFeed(db.url, createLogger('silent'));
    await otherFeed.start();
    const other = await startHttpApp({ prisma: db.prisma, databaseUrl: db.url, changeFeed: otherFeed });
    try {
      const events = subscribe(connect(other), 'subscription { dataChanged { recordType slug action } }');
      await listening(other, 1);
      const slug = '2030-06-02-two-instances';
      const written = await api.post(
        { query: UPSERT, variables: { input: meetingInput(slug, 'Written through the first') } },
        { authorization: `Bearer ${keys.editor}` },
      );
      expect(written.body.errors).toBeUndefined();
      const seen: any[] = [];
      for (;;) {
        const event = (await events.next()).data!.dataChanged;
        seen.push(event);
        if (event.recordType === 'Meeting') break;
      }
      // One CREATE for the meeting (its parts, written in the same transaction, are not UPDATEs).
      expect(seen.filter((e) => e.recordType === 'Meeting')).toEqual([{ recordType: 'Meeting', slug, action: 'CREATE' }]);
    } finally {
      await other.stop();
      await otherFeed.stop();
    }
  });

  test('changes: the audit trail live for ADMIN keys; a viewer is refused, and so is a caller without a key', async () => {
    const viewer = subscribe(connect(api, bearer(keys.viewer)), 'subscription { changes { id } }');
    const anonymous = subscribe(connect(api), 'subscription { changes { id } }');
    expect((await viewer.next()).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await anonymous.next()).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const admin = subscribe(connect(api, bearer(keys.admin)), 'subscription { changes { actor action recordType recordSlug after } }');
    await listening(api, 1);
    const slug = '2030-06-03-audited';
    await api.post({ query: UPSERT, variables: { input: meetingInput(slug, 'Audited') } }, { authorization: `Bearer ${keys.editor}` });
    const entry = (await admin.next()).data!.changes;
    expect(entry).toMatchObject({
      actor: 'editor key',
      action: 'CREATE',
      recordType: 'Meeting',
      recordSlug: slug,
      after: expect.objectContaining({ title: 'Audited' }),
    });
    await viewer.quiet(200);
  });
});

describe('checks and limits', () => {
  let limited: HttpApp;
  let limitedFeed: ChangeFeed;
  beforeAll(async () => {
    limitedFeed = new ChangeFeed(db.url, createLogger('silent'));
    await limitedFeed.start();
    limited = await startHttpApp({
      prisma: db.prisma,
      databaseUrl: db.url,
      changeFeed: limitedFeed,
      config: {
        corsOrigins: ['http://allowed.test'],
        limits: { maxCost: 200 },
        subscriptions: { enabled: true, maxPerConnection: 2, maxMessageBytes: 4_096, connectionsPerMinute: 1_000, maxConnections: 100 },
      },
    });
  });
  afterAll(async () => {
    await limited?.stop();
    await limitedFeed?.stop();
  });

  test('the document limits of HTTP apply: depth', async () => {
    let nested = 'title';
    for (let i = 0; i < 7; i++) nested = `related { meeting { ${nested} } }`;
    const stream = subscribe(connect(limited), `subscription { meetingChanged(slug: "x") { meeting { ${nested} } } }`);
    expect((await stream.next()).errors?.[0]?.extensions?.code).toBe('DEPTH_LIMIT_EXCEEDED');
  });

  test('cost: over MAX_COST is refused before anything listens', async () => {
    const stream = subscribe(
      connect(limited),
      'subscription { meetingChanged(slug: "x") { meeting { related(limit: 200) { meeting { title } } } } }',
    );
    const event = await stream.next();
    expect(event.errors?.[0]?.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', cost: { limit: 200 } });
    expect(limited.app.subscriptions!.listeners).toBe(0);
  });

  test('at most WS_MAX_SUBSCRIPTIONS per connection', async () => {
    const client = connect(limited);
    subscribe(client, 'subscription { dataChanged { slug } }');
    subscribe(client, 'subscription { dataChanged { slug } }');
    await listening(limited, 2);
    const third = subscribe(client, 'subscription { dataChanged { slug } }');
    expect((await third.next()).errors?.[0]?.extensions).toMatchObject({ code: 'SUBSCRIPTION_LIMIT_EXCEEDED', limit: 'subscriptions' });
  });

  test('a message over WS_MAX_MESSAGE_BYTES closes the connection (1009)', async () => {
    const closed = new Promise<{ code: number }>((resolve) => {
      const client = connect(limited, undefined, resolve);
      subscribe(client, `subscription { dataChanged { slug } } # ${'x'.repeat(5_000)}`);
    });
    expect((await closed).code).toBe(1009);
  });

  test('queries and mutations are refused over WebSocket; subscriptions are refused over HTTP', async () => {
    const stream = subscribe(connect(limited), '{ channels { slug } }');
    expect((await stream.next()).errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_REQUEST' },
      message: expect.stringMatching(/HTTP/),
    });
    const overHttp = await limited.post({ query: 'subscription { dataChanged { slug } }' });
    expect(overHttp.status).toBe(400);
    expect(overHttp.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' }, message: expect.stringMatching(/WebSocket/) });
  });

  test('an unknown key in connectionParams closes the connection with 4401', async () => {
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      subscribe(connect(limited, { Authorization: 'Bearer uscn_unknown' }, resolve), 'subscription { dataChanged { slug } }');
    });
    expect(await closed).toMatchObject({ code: 4401, reason: expect.stringMatching(/not known/) });
  });

  test('a page of an origin not in CORS_ORIGINS cannot open a connection; one that is, can', async () => {
    const attempt = (origin: string) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(wsUrl(limited), 'graphql-transport-ws', { headers: { origin } });
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('open', () => {
          socket.close();
          resolve(101);
        });
        socket.on('error', () => undefined);
      });
    expect(await attempt('http://elsewhere.test')).toBe(403);
    expect(await attempt('http://allowed.test')).toBe(101);
  });

  test('new connections per address are limited (WS_CONNECTIONS_PER_MINUTE)', async () => {
    const strict = await startHttpApp({
      prisma: db.prisma,
      changeFeed: limitedFeed,
      config: {
        subscriptions: { enabled: true, maxPerConnection: 5, maxMessageBytes: 65_536, connectionsPerMinute: 2, maxConnections: 100 },
      },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        statuses.push(
          await new Promise<number>((resolve) => {
            const socket = new WebSocket(wsUrl(strict), 'graphql-transport-ws');
            socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
            socket.on('open', () => {
              socket.close();
              resolve(101);
            });
            socket.on('error', () => undefined);
          }),
        );
      }
      expect(statuses).toEqual([101, 101, 429]);
    } finally {
      await strict.stop();
    }
  });
});
