/**
 * npm run export -- [FILE]
 *
 * Writes every engagement in the service's database (DATABASE_URL, or the embedded one under
 * .data/) in the data set's format, to FILE or to stdout. FILE appears only once the export is
 * complete: it is written beside itself under a temporary name and then renamed, so a failed
 * export never leaves a truncated file where a good one was.
 */
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { loadEnvFile } from '../src/env-file';
import { openDatabase } from '../src/db/database';
import { writeEngagements } from '../src/modules/engagements/engagement-export.service';

const USAGE = 'Usage: npm run export -- [FILE]   (no FILE: write to stdout)';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 1;
  }
  const { positionals, values } = parsed;
  if (values.help || positionals.length > 1) {
    console.error(USAGE);
    return values.help ? 0 : 1;
  }
  const [file] = positionals;
  // Checked before the database starts, so a typo in the path fails fast.
  if (file !== undefined) await checkTarget(file);

  // Seeding is off: exporting an empty database must give an empty file, not the bundled data.
  const db = await openDatabase((loadEnvFile(), loadConfig()));
  try {
    if (file === undefined) {
      // Write errors (EPIPE) reach writeStdout's callback; unheard, the event would crash the process.
      process.stdout.on('error', () => undefined);
      await writeEngagements(db.prisma, writeStdout);
      return 0;
    }
    const count = await exportToFile(db.prisma, file);
    console.log(`Exported ${count} engagements to ${file}.`);
    return 0;
  } finally {
    await db.close();
  }
}

async function checkTarget(file: string): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  const [target, parent] = await Promise.all([stat(file).catch(() => null), stat(dir).catch(() => null)]);
  if (target?.isDirectory()) throw new Error(`Cannot write ${file}: it is a directory`);
  if (!parent?.isDirectory()) throw new Error(`Cannot write ${file}: no such directory ${dir}`);
}

async function exportToFile(prisma: Parameters<typeof writeEngagements>[0], file: string): Promise<number> {
  const target = path.resolve(file);
  // Same directory as the target, so that the rename stays on one file system and is atomic.
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  const handle = await open(temp, 'wx').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`Cannot write ${file}: ${error.message}`);
  });
  let renamed = false;
  try {
    const count = await writeEngagements(prisma, async (chunk) => {
      await handle.write(chunk);
    });
    await handle.sync();
    await handle.close();
    await rename(temp, target);
    renamed = true;
    return count;
  } finally {
    if (!renamed) {
      await handle.close().catch(() => undefined);
      await rm(temp, { force: true });
    }
  }
}

/** Resolves once the chunk is handed to the OS, so process.exit cannot cut the output short. */
function writeStdout(chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}

main().then(
  (code) => process.exit(code),
  (error: NodeJS.ErrnoException) => {
    // The reader went away (`npm run export | head`): not an error worth a message.
    if (error.code === 'EPIPE') process.exit(0);
    console.error(error.message);
    process.exit(1);
  },
);
