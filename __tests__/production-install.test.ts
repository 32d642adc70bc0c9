/**
 * The production install, as the Docker image makes it (`npm ci --omit=dev`): only the runtime
 * dependencies, the built dist/, and prisma/ (migrations, seed data). The server must start on
 * DATABASE_URL, answer and be ready, and the key, import and export commands must run there,
 * through `node dist/scripts/…` and through the npm scripts. Without DATABASE_URL it says what to
 * set, since the embedded PostgreSQL is a development dependency.
 *
 * The folder is made from this checkout without the network: node_modules holds links to the
 * packages the lockfile marks as runtime ones (what `npm ci --omit=dev` installs), so a `require`
 * of anything else from the server's code fails here as it would in the image.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../src/db/embedded-postgres';
import { PROJECT_ROOT } from '../src/paths';
import { createTestDatabase, type TestDatabase } from './helpers/database';

/** Tools that must stay out of the image (they are what made it 430 MB). */
const DEVELOPMENT_ONLY = [
  'prisma',
  'embedded-postgres',
  '@prisma/schema-engine-wasm',
  'typescript',
  'vite',
  'eslint',
  'pino-pretty',
  '@graphql-codegen/cli',
  'jest',
];

let db: TestDatabase;
let app: string;
let runtimePackages: string[];

beforeAll(async () => {
  db = await createTestDatabase();
  app = await mkdtemp(path.join(tmpdir(), 'uscn-production-'));
  for (const entry of ['package.json', 'package-lock.json', 'dist', 'prisma', 'scripts/build.mjs', 'scripts/postinstall.mjs']) {
    await cp(path.join(PROJECT_ROOT, entry), path.join(app, entry), { recursive: true });
  }
  const lock = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
  };
  runtimePackages = Object.entries(lock.packages)
    .filter(
      ([key, info]) =>
        key.startsWith('node_modules/') && !key.slice('node_modules/'.length).includes('node_modules/') && !info.dev && !info.devOptional,
    )
    .map(([key]) => key.slice('node_modules/'.length));
  for (const name of runtimePackages) {
    await mkdir(path.dirname(path.join(app, 'node_modules', name)), { recursive: true });
    await symlink(path.join(PROJECT_ROOT, 'node_modules', name), path.join(app, 'node_modules', name), 'dir');
  }
});
afterAll(async () => {
  await rm(app, { recursive: true, force: true });
  await db?.drop();
});

const run = (command: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}) =>
  spawnSync(command, args, {
    cwd: app,
    env: { ...process.env, DATABASE_URL: db.url, ...options.env },
    input: options.input,
    encoding: 'utf8',
    timeout: 60_000,
  });

test('the runtime dependencies hold none of the development tools', async () => {
  const manifest = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
  for (const tool of DEVELOPMENT_ONLY) {
    expect(manifest.dependencies[tool]).toBeUndefined();
    expect(runtimePackages).not.toContain(tool);
  }
  expect(runtimePackages).toEqual(expect.arrayContaining(['@prisma/client', '@prisma/adapter-pg', 'pg', 'pino', 'prom-client', 'graphql']));
});

test('postinstall does nothing where the Prisma CLI is not installed', () => {
  const result = run(process.execPath, ['scripts/postinstall.mjs']);
  expect(result.status).toBe(0);
  expect(result.stderr).toMatch(/no Prisma CLI/);
});

describe('the server', () => {
  let server: ChildProcess;
  let url: string;
  let output = '';
  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ['dist/src/index.js'], {
      cwd: app,
      env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', SEED_ON_EMPTY: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (chunk) => (output += chunk));
    server.stderr!.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 30_000;
    while (!output.includes('GraphQL API ready')) {
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`not ready:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  afterAll(async () => {
    server?.kill('SIGTERM');
    await new Promise((resolve) => (server.exitCode !== null ? resolve(null) : server.once('exit', resolve)));
  });

  test('starts on DATABASE_URL, answers, is ready, and logs JSON (pino-pretty is not there)', async () => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ meetings { totalCount } }' }),
    });
    expect(((await response.json()) as any).data.meetings.totalCount).toBeGreaterThan(30);
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
    expect(output.split('\n')[0]).toMatch(/^\{"level":"info"/);
  });
});

test('keys: node dist/scripts/keys.js, and npm run key:create (nothing to build, dist/ is used)', () => {
  const direct = run(process.execPath, ['dist/scripts/keys.js', 'create', '--role', 'viewer', '--name', 'image key 1']);
  expect(direct.stderr).toMatch(/Created VIEWER key "image key 1"/);
  expect(direct.stdout.trim()).toMatch(/^uscn_[\w-]{43}$/);
  const viaNpm = run('npm', ['run', '--silent', 'key:create', '--', '--role', 'editor', '--name', 'image key 2']);
  expect(viaNpm.stderr).toMatch(/build: server as built/);
  expect(viaNpm.stdout.trim()).toMatch(/^uscn_[\w-]{43}$/);
  expect(viaNpm.status).toBe(0);
  expect(run(process.execPath, ['dist/scripts/keys.js', 'revoke', 'image key 1']).stdout).toMatch(/Revoked "image key 1"/);
});

test('import from standard input, and export to standard output', async () => {
  const firstRecord = (await readFile(path.join(PROJECT_ROOT, 'prisma', 'seed', 'engagements.jsonl'), 'utf8')).split('\n')[0];
  const imported = run(process.execPath, ['dist/scripts/import.js', '-', '--dry-run'], { input: `${firstRecord}\n` });
  expect(imported.stdout).toMatch(/^Would import -: 0 created, 0 updated, 1 unchanged\./);
  expect(imported.status).toBe(0);
  const exported = run(process.execPath, ['dist/scripts/export.js']);
  expect(exported.status).toBe(0);
  expect(exported.stdout.trim().split('\n').length).toBeGreaterThan(30);
  expect(JSON.parse(exported.stdout.split('\n')[0])).toEqual(expect.objectContaining({ id: expect.any(String) }));
});

test('without DATABASE_URL it stops with a message saying to set it', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'uscn-production-data-'));
  try {
    const result = run(process.execPath, ['dist/src/index.js'], { env: { DATABASE_URL: '', DATA_DIR: dataDir } });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/DATABASE_URL is not set, and the embedded PostgreSQL is not installed .*Set DATABASE_URL/);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
