/**
 * The default set-up with no DATABASE_URL: the service runs its own PostgreSQL under DATA_DIR,
 * stops it cleanly on SIGTERM/SIGINT, and starts again after a run that was killed outright.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { postGraphQL, startServerProcess } from './helpers/server-process';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'uscn-lifecycle-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const embeddedEnv = () => ({ DATABASE_URL: undefined, DATA_DIR: dataDir, NODE_ENV: 'production' });
const postmasterPid = async () =>
  Number((await readFile(path.join(dataDir, 'postgres', 'cluster', 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]) || null;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('first start creates the cluster, migrates and seeds; SIGTERM stops server and database', async () => {
  const server = await startServerProcess(embeddedEnv());
  expect(server.output()).toMatch(/seeded \d+ engagements/);
  const { body } = await postGraphQL(server.url, '{ meetings { totalCount } }');
  expect(body.data.meetings.totalCount).toBeGreaterThan(30);
  const pid = (await postmasterPid())!;
  expect(alive(pid)).toBe(true);

  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
  expect(alive(pid)).toBe(false);
});

test('data is kept between runs, and a killed run does not block the next start', async () => {
  const second = await startServerProcess(embeddedEnv());
  expect(second.output()).not.toMatch(/seeded/);
  const orphan = (await postmasterPid())!;
  second.child.kill('SIGKILL');
  await second.exited;
  // PostgreSQL outlives its parent: the situation a crash or `kill -9` leaves behind.
  expect(alive(orphan)).toBe(true);

  const third = await startServerProcess(embeddedEnv());
  expect(alive(orphan)).toBe(false);
  const { body } = await postGraphQL(third.url, '{ meetings { totalCount } }');
  expect(body.data.meetings.totalCount).toBeGreaterThan(30);
  third.child.kill('SIGINT');
  expect(await third.exited).toBe(0);
});
