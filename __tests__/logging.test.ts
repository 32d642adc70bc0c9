/**
 * The built server's log, as an operator's log shipper reads it: JSON lines on stdout (pretty
 * lines in development), one per operation with the request's id, unexpected errors with their
 * stack on the server only, and no key or password anywhere in it.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createApiKey } from '../src/modules/auth/api-key.service';
import { PROJECT_ROOT } from '../src/paths';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startServerProcess, type ServerProcess } from './helpers/server-process';

let db: TestDatabase;
let server: ServerProcess;
let editorKey: string;
// Shaped like a real key (uscn_ + 43 base64url characters) but unknown to the database.
const UNKNOWN_KEY = 'uscn_Zm9yZ2VkLWtleS10aGF0LW11c3Qtbm90LWJlLWxvZ2dlZDEy';
const REDIS_PASSWORD = 'redis-Pa55word-never-logged';

beforeAll(async () => {
  db = await createTestDatabase();
  editorKey = (await createApiKey(db.prisma, 'Logging test editor', 'EDITOR')).key;
  server = await startServerProcess({
    DATABASE_URL: db.url,
    SEED_ON_EMPTY: 'false',
    LOG_LEVEL: 'debug',
    NODE_ENV: 'production',
    // A Redis that refuses: the rate limits log that they fall back, with a URL holding a password.
    REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:9`,
  });
});
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  await db?.drop();
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

async function linesFor(requestId: string, count = 1): Promise<Array<Record<string, any>>> {
  // The line is written when the response is sent; the pipe may deliver it a moment later.
  for (let i = 0; i < 100; i++) {
    const lines = server.logLines().filter((line) => line.requestId === requestId);
    if (lines.length >= count) return lines;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no log line for ${requestId} in:\n${server.output()}`);
}

test('every line on stdout is a JSON object with a level, a time and a message', async () => {
  await post({ query: '{ channels { slug } }' });
  const lines = server.output().trim().split('\n');
  expect(lines.length).toBeGreaterThan(2);
  for (const line of lines) {
    const parsed = JSON.parse(line);
    expect(parsed).toEqual(
      expect.objectContaining({
        level: expect.stringMatching(/^(debug|info|warn|error)$/),
        time: expect.any(String),
        msg: expect.any(String),
      }),
    );
  }
  expect(server.logLines().some((line) => /GraphQL API ready/.test(line.msg))).toBe(true);
});

test("one line per operation, carrying the request's id and the caller's role and key name", async () => {
  const response = await post(
    { query: 'mutation Touch { deleteMeeting(slug: "no-such-meeting", version: 1) }' },
    { authorization: `Bearer ${editorKey}`, 'x-request-id': 'log-mutation-1' },
  );
  expect(response.headers.get('x-request-id')).toBe('log-mutation-1');
  const [line] = await linesFor('log-mutation-1');
  expect(line).toMatchObject({
    level: 'info',
    operation: 'Touch',
    type: 'mutation',
    status: expect.any(Number),
    errorCodes: [expect.any(String)],
    caller: { role: 'EDITOR', apiKeyName: 'Logging test editor' },
  });
  expect(line.durationMs).toEqual(expect.any(Number));
});

test('unexpected errors: the stack in the log, only the code in the response', async () => {
  // A table disappears under the running server (channels would be served from a process cache).
  await db.prisma.$executeRaw`ALTER TABLE "source" RENAME TO "source_gone"`;
  try {
    const response = await post(
      { query: 'query Broken { meetings(first: 1) { edges { node { sources { publisher } } } } }' },
      { 'x-request-id': 'log-broken' },
    );
    expect(response.body.errors[0]).toEqual(
      expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
    );
    expect(JSON.stringify(response.body)).not.toMatch(/source_gone|relation|does not exist|stacktrace|\bat .*\.js/);
    const [operation] = await linesFor('log-broken');
    expect(operation).toMatchObject({ level: 'warn', operation: 'Broken', errorCodes: ['INTERNAL_SERVER_ERROR'] });
    const error = server.logLines().find((line) => line.level === 'error' && /unexpected error in Broken/.test(line.msg));
    expect(error?.err?.stack).toMatch(/\n\s+at /);
  } finally {
    await db.prisma.$executeRaw`ALTER TABLE "source_gone" RENAME TO "source"`;
  }
});

test('keys and passwords never reach the log', async () => {
  await post({ query: '{ channels { slug } }' }, { authorization: `Bearer ${editorKey}`, 'x-request-id': 'log-key-valid' });
  const refused = await post(
    { query: 'mutation { deleteMeeting(slug: "x", version: 1) }' },
    { authorization: `Bearer ${UNKNOWN_KEY}`, 'x-request-id': 'log-key-unknown' },
  );
  expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  await linesFor('log-key-unknown');
  const output = server.output();
  // The lines are there (so the check below reads a log that speaks of these requests) …
  expect(output).toContain('log-key-valid');
  expect(output).toMatch(/rate limits: Redis unavailable/);
  // … and hold neither key, nor the key's secret part, nor the Redis password.
  expect(output).not.toContain(editorKey);
  expect(output).not.toContain(editorKey.slice(5));
  expect(output).not.toContain(UNKNOWN_KEY.slice(5));
  expect(output).not.toContain(REDIS_PASSWORD);
});

test('the logger masks secrets in messages, errors, stacks and fields, whatever the caller passes', () => {
  // Run on the built logger in a plain Node process: it writes to the real stdout.
  const script = `
    const { createLogger } = require(${JSON.stringify(path.join(PROJECT_ROOT, 'dist/src/common/logger.js'))});
    const log = createLogger('debug');
    log.info('connecting to postgresql://app:db-Secret-1@db.internal:5432/engagements');
    log.warn('retrying', { url: 'redis://:redis-Secret-2@cache:6379', headers: { authorization: 'Bearer uscn_${'A'.repeat(43)}' } });
    const error = new Error('rejected key uscn_${'B'.repeat(43)} for host=db password=pw-Secret-3');
    log.error('request failed', error, { nested: { deeper: { password: 'pw-Secret-4', apiKey: 'k-Secret-5' } } });
    log.debug('token', { token: 'tok-Secret-6', cookie: 'session=cookie-Secret-7' });
  `;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(result.status).toBe(0);
  const lines = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  expect(lines).toHaveLength(4);
  expect(result.stdout).not.toMatch(/Secret-\d|A{43}|B{43}/);
  // What was masked is still readable as what it was.
  expect(lines[0].msg).toBe('connecting to postgresql://app:[redacted]@db.internal:5432/engagements');
  expect(lines[1].headers.authorization).toBe('[redacted]');
  expect(lines[2].err.stack).toMatch(/rejected key uscn_\[redacted\]/);
  expect(lines[2].nested.deeper).toEqual({ password: '[redacted]', apiKey: '[redacted]' });
});

test('pretty lines for a person in development; JSON stays the default elsewhere', async () => {
  const dev = await startServerProcess({
    DATABASE_URL: db.url,
    SEED_ON_EMPTY: 'false',
    NODE_ENV: 'development',
    SUBSCRIPTIONS: 'false',
    RESPONSE_CACHE_MB: '0',
  });
  try {
    const ready = dev
      .output()
      .split('\n')
      .find((line) => line.includes('GraphQL API ready'));
    expect(ready).toMatch(/INFO/);
    expect(ready!.trim().startsWith('{')).toBe(false);
  } finally {
    dev.child.kill('SIGTERM');
    await dev.exited;
  }
});
