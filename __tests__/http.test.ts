/**
 * Through real HTTP, against the built service started as in production (NODE_ENV=production),
 * on a database of this file's own.
 */
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { postGraphQL, startServerProcess, type ServerProcess } from './helpers/server-process';
import { createApp } from '../src/server';
import { createLogger } from '../src/common/logger';

let db: TestDatabase;
let server: ServerProcess;
beforeAll(async () => {
  db = await createTestDatabase();
  server = await startServerProcess({ DATABASE_URL: db.url, NODE_ENV: 'production' });
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  await db.drop();
});

test('GET /health answers when the database is reachable', async () => {
  const response = await fetch(`${server.url}/health`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok', database: 'ok' });
});

test('answers the quick-start query with real data', async () => {
  const { status, body } = await postGraphQL(
    server.url,
    '{ channel(slug: "military") { meetings(first: 5) { totalCount edges { node { title outcomes { status } } } } } }',
  );
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  expect(body.data.channel.meetings.totalCount).toBeGreaterThan(5);
  expect(body.data.channel.meetings.edges).toHaveLength(5);
  expect(body.data.channel.meetings.edges[0].node.outcomes.length).toBeGreaterThan(0);
});

test('bad input gets BAD_USER_INPUT naming the argument, without a stack trace', async () => {
  const { body } = await postGraphQL(server.url, '{ meetings(first: 500) { totalCount } }');
  expect(body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'first' });
});

test('a malformed operation is refused with 400 and a parse error', async () => {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: '{ meetings(first: ' }),
  });
  expect(response.status).toBe(400);
  expect(((await response.json()) as any).errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
});

test('an unexpected failure reaches the client as INTERNAL_SERVER_ERROR without SQL or stack', async () => {
  // Break the database under the running server: the source table disappears.
  await db.prisma.$executeRawUnsafe('ALTER TABLE "source" RENAME TO "source_gone"');
  try {
    const { body } = await postGraphQL(server.url, '{ meetings(first: 1) { edges { node { sources { publisher } } } } }');
    expect(body.errors[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(body)).not.toMatch(/SELECT|relation|does not exist|stacktrace|prisma/i);
    // The full error is in the server's own log instead.
    // The page prefetch reads the sources, so the failure surfaces at the list field.
    // The planned statement fails, then execution reports the failure at the field that read the table.
    expect(server.output()).toMatch(
      /unexpected error in .* at meetings[.a-z0-9]*:[\s\S]*(relation "source"|table `public.source`) does not exist/,
    );
  } finally {
    await db.prisma.$executeRawUnsafe('ALTER TABLE "source_gone" RENAME TO "source"');
  }
});

test('in development, the landing page embeds Apollo Sandbox', async () => {
  const { httpServer, apollo } = await createApp({
    prisma: db.prisma,
    config: { exposeErrorDetails: true },
    logger: createLogger('silent'),
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = httpServer.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/sandbox/i);
  } finally {
    await apollo.stop();
  }
});
