/**
 * npm run dev: the service, restarted whenever its sources change, without a full rebuild.
 *
 * - `tsc --watch` recompiles only what a change affects into dist/ (a second or two); after each
 *   compile without errors the server is stopped (SIGTERM: it drains and stops its database) and
 *   started again. With errors, the running server is left as it was and the errors are shown.
 * - `vite build --watch` rebuilds the explorer and dashboard into dist/web/; the server reads
 *   them from disk, so a reload of the page shows the change.
 *
 * NODE_ENV defaults to development here (error details in responses). Ctrl-C stops everything.
 * Plain JavaScript: it runs before anything is compiled.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const env = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development' };

let server = null;
let stopping = false;
let restartQueued = false;
let starts = 0;

function log(message) {
  process.stderr.write(`[dev] ${message}\n`);
}

function stopServer() {
  const child = server;
  server = null;
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function restartServer() {
  if (restartQueued) return;
  restartQueued = true;
  await stopServer();
  restartQueued = false;
  if (stopping) return;
  log(starts++ === 0 ? 'starting the server' : 'restarting the server');
  server = spawn(process.execPath, ['--enable-source-maps', 'dist/src/index.js'], { cwd: root, env, stdio: 'inherit' });
  const started = server;
  started.once('exit', (code, signal) => {
    if (server === started && !stopping) log(`the server exited (${signal ?? code}); it restarts on the next change`);
  });
}

const tsc = spawn(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'],
  {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
tsc.stdout.setEncoding('utf8');
let buffered = '';
tsc.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  buffered += chunk;
  const lines = buffered.split('\n');
  buffered = lines.pop();
  for (const line of lines) {
    // tsc's summary after each compile: "Found 0 errors. Watching for file changes."
    const found = /Found (\d+) errors?\./.exec(line);
    if (found && Number(found[1]) === 0) void restartServer();
    else if (found) log('not restarting: fix the errors above');
  }
});

const vite = spawn(
  process.execPath,
  [path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'), 'build', '--watch', '--config', 'web/vite.config.ts'],
  { cwd: root, env, stdio: 'inherit' },
);

async function shutdown() {
  if (stopping) return;
  stopping = true;
  tsc.kill('SIGTERM');
  vite.kill('SIGTERM');
  await stopServer();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
