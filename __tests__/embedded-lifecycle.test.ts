/**
 * The default set-up with no DATABASE_URL: the service runs its own PostgreSQL under DATA_DIR,
 * stops it cleanly on SIGTERM/SIGINT, and starts again after a run that was killed outright.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres';
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

describe('the cluster folder is never deleted on an error', () => {
  // Each case is a DATA_DIR whose cluster folder is not a cluster; starting must refuse and leave
  // every byte of it where it was (an earlier version ran `rm -r` on whatever it could not read).
  test.each([
    [
      'a folder holding something else',
      async (cluster: string) => {
        await mkdir(cluster, { recursive: true });
        await writeFile(path.join(cluster, 'precious.txt'), 'keep me');
        return path.join(cluster, 'precious.txt');
      },
      /not empty but holds no PostgreSQL cluster/,
    ],
    [
      'a file where the folder should be (unreadable as a folder)',
      async (cluster: string) => {
        await mkdir(path.dirname(cluster), { recursive: true });
        await writeFile(cluster, 'keep me');
        return cluster;
      },
      /Cannot read the embedded database folder .*ENOTDIR/,
    ],
  ])('%s', async (_name, prepare, message) => {
    const root = await mkdtemp(path.join(tmpdir(), 'uscn-refuse-'));
    try {
      const kept = await prepare(path.join(root, 'cluster'));
      await expect(startEmbeddedPostgres({ dataDir: root })).rejects.toThrow(message);
      expect(await readFile(kept, 'utf8')).toBe('keep me');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
