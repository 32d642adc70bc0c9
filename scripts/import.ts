/**
 * npm run import -- FILE [--dry-run]
 * node dist/scripts/import.js FILE [--dry-run]     (the same, in the Docker image; FILE `-` is stdin)
 *
 * Loads a file in the data set's format into the service's database (DATABASE_URL, or the
 * embedded one under .data/). All or nothing: a bad record is reported with its line and field,
 * the exit code is 1 and nothing is written.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { loadConfig } from '../src/config';
import { loadEnvFile } from '../src/env-file';
import { openDatabase } from '../src/db/database';
import { importEngagements } from '../src/modules/engagements/engagement-import.service';

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals.length !== 1) {
    console.error('Usage: npm run import -- FILE [--dry-run]   (FILE "-" reads standard input)');
    return values.help ? 0 : 1;
  }
  const [file] = positionals;
  // `-`: standard input, so that a file on the host reaches a container without a mount
  // (`docker compose exec -T api node dist/scripts/import.js - < file.jsonl`).
  const jsonl =
    file === '-'
      ? await readStandardInput()
      : await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
          throw new Error(`Cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
        });
  // openDatabase never seeds (start-up does, src/seed.ts): an empty database gets exactly this file.
  const db = await openDatabase((loadEnvFile(), loadConfig()));
  try {
    const bar = progressBar(jsonl);
    const report = await importEngagements(db.prisma, jsonl, {
      dryRun: values['dry-run'],
      onProgress: bar && ((done, total) => (done === 1 ? bar.start(total, done) : bar.update(done))),
    }).finally(() => bar?.stop());
    for (const error of report.errors) {
      console.error(`${file}:${error.line}: ${error.field ?? '(record)'}: ${error.message}`);
    }
    if (report.errors.length > 0) {
      console.error(`Refused: ${report.errors.length} error(s); nothing was written.`);
      return 1;
    }
    const verb = report.dryRun ? 'Would import' : 'Imported';
    console.log(`${verb} ${file}: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged.`);
    return 0;
  } finally {
    await db.close();
  }
}

/**
 * A bar on stderr while records are written, only for a person watching a large file: small
 * imports finish before it would be read, and logs and pipes (tests, CI) get the summary alone.
 */
function progressBar(jsonl: string): SingleBar | undefined {
  if (!process.stderr.isTTY) return undefined;
  if (jsonl.split('\n').filter((line) => line.trim()).length <= 200) return undefined;
  // No gracefulExit: its SIGINT handler would stop Ctrl-C from ending the import.
  return new SingleBar({
    format: 'Writing {bar} {value}/{total} engagements | {eta_formatted} left',
    stream: process.stderr,
    clearOnComplete: true,
  });
}

async function readStandardInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
