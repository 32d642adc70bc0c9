/**
 * Set-up conveniences: `.env` read at start-up (the real environment winning), and a build that
 * skips what has not changed, so that `npm start` is quick the second time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadEnvFile } from '../src/env-file';
import { PROJECT_ROOT } from '../src/paths';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startServerProcess } from './helpers/server-process';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'uscn-env-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('loadEnvFile: the file fills what the environment leaves unset, and never overrides it', () => {
  const file = path.join(dir, 'unit.env');
  writeFileSync(file, '# comment\nPORT=5000\nCACHE_MAX_AGE=7\nCORS_ORIGINS="http://a.test,http://b.test"\n');
  const env: NodeJS.ProcessEnv = { PORT: '4001' };
  expect(loadEnvFile(file, env)).toEqual({ file, applied: ['CACHE_MAX_AGE', 'CORS_ORIGINS'], overridden: ['PORT'] });
  expect(env).toEqual({ PORT: '4001', CACHE_MAX_AGE: '7', CORS_ORIGINS: 'http://a.test,http://b.test' });
  expect(loadEnvFile(path.join(dir, 'missing.env'), env).file).toBeUndefined();
});

describe('the service reads .env in its working directory at start-up', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  test('a setting from .env applies; one also set in the environment takes the environment', async () => {
    writeFileSync(path.join(dir, '.env'), 'CORS_ORIGINS=http://from-dotenv.test\nCACHE_MAX_AGE=7\nSEED_ON_EMPTY=false\n');
    const server = await startServerProcess({ DATABASE_URL: db.url, CACHE_MAX_AGE: '9', CORS_ORIGINS: undefined }, 60_000, dir);
    try {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://from-dotenv.test' },
        body: JSON.stringify({ query: '{ channels { slug } }' }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('http://from-dotenv.test');
      expect(response.headers.get('cache-control')).toBe('max-age=9, public');
      expect(server.output()).toMatch(/settings read from .*\.env: CORS_ORIGINS, SEED_ON_EMPTY; the environment overrides CACHE_MAX_AGE/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});

test('a build with nothing changed skips both parts (what makes `npm start` quick)', () => {
  const build = () =>
    spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'build.mjs')], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  // Up to date already when `npm test` ran (pretest builds); if not, now.
  expect(build().status).toBe(0);
  const started = Date.now();
  const result = build();
  expect(result.status).toBe(0);
  expect(result.stderr).toMatch(/server up to date[\s\S]*pages up to date/);
  expect(Date.now() - started).toBeLessThan(3_000);
});
