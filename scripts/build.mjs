/**
 * npm run build: the server (TypeScript → dist/) and the browser pages (Vite → dist/web/).
 *
 * Each part is skipped when nothing it is built from changed since it was last built (a hash
 * of its sources, configuration and the lockfile, kept beside its output), so that `npm start`,
 * which builds first, is ready in a few seconds when nothing changed; `tsc`'s own incremental
 * mode still spent ~10 s checking the whole program. `--force` builds both anyway.
 *
 * In a production install (the Docker image: `npm ci --omit=dev`, no TypeScript or Vite) there
 * is nothing to build with: what is in dist/ is used as it is, so that `npm run key:create` and
 * the other npm scripts, which build first, still run there.
 *
 * Plain JavaScript: it runs before anything is compiled. It reports on stderr.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const force = process.argv.includes('--force');

/** The file a tool runs from, or undefined when the tool is not installed (a production install). */
function resolveTool(id) {
  try {
    return require.resolve(id);
  } catch {
    return undefined;
  }
}
const tsc = resolveTool('typescript/bin/tsc');
const vite = resolveTool('vite/package.json');

const PARTS = [
  {
    name: 'server',
    inputs: ['src', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'],
    outputs: ['dist/src/index.js'],
    stamp: 'dist/.build-server',
    command: tsc && [tsc, '-p', 'tsconfig.build.json'],
  },
  {
    name: 'pages',
    inputs: ['web', 'README.md', 'package-lock.json'],
    outputs: ['dist/web/explorer.html', 'dist/web/dashboard.html', 'dist/web/examples.graphql'],
    stamp: 'dist/.build-pages',
    command: vite && [path.join(path.dirname(vite), 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts'],
  },
];

/** Every file under `entries`, sorted, with its contents: what a build reads. */
function fingerprint(entries) {
  const hash = createHash('sha256');
  const visit = (relative) => {
    const absolute = path.join(root, relative);
    if (!existsSync(absolute)) return;
    if (statSync(absolute).isDirectory()) {
      for (const name of readdirSync(absolute).sort()) {
        if (name === 'node_modules' || name.startsWith('.')) continue;
        visit(path.join(relative, name));
      }
      return;
    }
    hash.update(`${relative}\0`).update(readFileSync(absolute)).update('\0');
  };
  for (const entry of entries) visit(entry);
  return hash.digest('hex');
}

let failed = false;
for (const part of PARTS) {
  const stampFile = path.join(root, part.stamp);
  const built = part.outputs.every((file) => existsSync(path.join(root, file)));
  if (!part.command) {
    if (built) {
      console.error(`build: ${part.name} as built (no build tools installed)`);
      continue;
    }
    failed = true;
    console.error(`build: ${part.name} cannot be built: its tools are development dependencies (run npm install)`);
    continue;
  }
  const current = fingerprint(part.inputs);
  if (!force && built && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === current) {
    console.error(`build: ${part.name} up to date`);
    continue;
  }
  const started = Date.now();
  // Everything on stderr: `npm run export` writes its data to stdout after building.
  const result = spawnSync(process.execPath, part.command, { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    failed = true;
    console.error(`build: ${part.name} failed`);
    continue;
  }
  mkdirSync(path.dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, current);
  console.error(`build: ${part.name} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
process.exit(failed ? 1 : 0);
