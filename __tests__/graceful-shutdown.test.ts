/**
 * Ctrl-C in a terminal signals the whole foreground process group. The embedded PostgreSQL runs
 * in a session of its own (src/db/embedded-postgres.ts), so it hears only the server: the server
 * stops taking requests, finishes those in flight, then stops the database. Before, PostgreSQL
 * heard the Ctrl-C too, shut down at once, and the requests being drained failed.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServerProcess } from './helpers/server-process';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'uscn-ctrl-c-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

test('Ctrl-C (SIGINT to the process group): a request in flight completes, then the database stops', async () => {
  const server = await startServerProcess({ DATABASE_URL: undefined, DATA_DIR: dataDir, NODE_ENV: 'production' }, 90_000, undefined, {
    processGroup: true,
  });
  const postmaster = Number((await readFile(path.join(dataDir, 'postgres', 'cluster', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  expect(alive(postmaster)).toBe(true);

  // A request whose body is still arriving when Ctrl-C comes: it is in flight, and it needs the
  // database once its body is in.
  const body = JSON.stringify({ query: 'query InFlight { meetings(first: 3) { totalCount edges { node { slug } } } }' });
  const { port } = new URL(server.url);
  const socket = net.connect(Number(port), '127.0.0.1');
  const received: Buffer[] = [];
  socket.on('data', (chunk) => received.push(chunk));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(
    `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
  );
  socket.write(body.slice(0, 10));
  await sleep(300);

  process.kill(-server.child.pid!, 'SIGINT');
  // Long enough for a PostgreSQL that heard the Ctrl-C to have shut down ("fast" shutdown takes ms).
  await sleep(1_500);
  expect(alive(postmaster)).toBe(true);
  socket.write(body.slice(10));
  await closed;

  const response = Buffer.concat(received).toString('utf8');
  expect(response).toMatch(/^HTTP\/1\.1 200 /);
  const json = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));
  expect(json.errors).toBeUndefined();
  expect(json.data.meetings.totalCount).toBeGreaterThan(30);

  expect(await server.exited).toBe(0);
  expect(alive(postmaster)).toBe(false);
  const messages = server.logLines().map((line) => String(line.msg));
  const at = (pattern: RegExp) => messages.findIndex((message) => pattern.test(message));
  // In this order: the signal, the request answered, the database closed, the end.
  expect(at(/SIGINT received/)).toBeGreaterThanOrEqual(0);
  expect(at(/SIGINT received/)).toBeLessThan(at(/query InFlight → 200/));
  expect(at(/query InFlight → 200/)).toBeLessThan(at(/database client closed/));
  expect(at(/database client closed/)).toBeLessThan(at(/^stopped$/));
  // The change feed was stopped by the server, not cut by a database going away under it.
  expect(messages.join('\n')).not.toMatch(/change feed: connection lost|database unavailable/);
});
