/**
 * npm install's postinstall: `prisma generate`, which writes the Prisma client into
 * src/generated/ (compiled into dist/ by the build).
 *
 * The Prisma CLI is a development dependency. A production install (`npm ci --omit=dev`, as the
 * Docker image makes) has none and needs none: the client it runs is the one compiled into dist/.
 * Then this says so and does nothing.
 *
 * PRISMA_SCHEMA_ENGINE_BINARY: the CLI wants to download its native schema engine before any
 * command, even `generate`, which never uses it; on a machine that cannot download it, any file
 * will do (prisma/no-schema-engine explains itself if something does call it).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

let cli;
try {
  cli = require.resolve('prisma/build/index.js', { paths: [root] });
} catch {
  console.error('postinstall: no Prisma CLI (a production install); the Prisma client comes built in dist/.');
  process.exit(0);
}
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(root, 'prisma', 'no-schema-engine');
const result = spawnSync(process.execPath, [cli, 'generate'], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
