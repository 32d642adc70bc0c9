#!/usr/bin/env node
/**
 * Creates (drops and recreates) the scratch database bench_<size> on BENCH_DATABASE_URL's
 * server, applies the service's migrations with its own runner, loads the synthetic file with
 * the service's importer (the same code path as `npm run import` and seeding), then ANALYZEs.
 *
 *   node bench/load.mjs --size 10000 [--chunk 5000]
 *
 * The importer validates every record and writes in one transaction per call; the file is fed
 * to it in chunks of --chunk records (related links only point backwards, so every chunk's
 * references are in the chunk or already loaded). Timings go to stdout and to
 * bench/data/load-<size>.json, which run.mjs folds into RESULTS.md.
 *
 * Needs the root project built (`npm run build`, which writes dist/).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { defaultFile, writeFile } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const dist = (p) => {
  const file = path.join(here, '..', 'dist', 'src', p);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` in the project root first`);
  return require(file);
};

export const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(size, server = SERVER_URL) {
  const url = new URL(server);
  url.pathname = `/bench_${size}`;
  return url.toString();
}

export async function recreateDatabase(name, server = SERVER_URL) {
  if (!/^bench_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to drop ${name}: not a bench_ database`);
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

const seconds = (ms) => Math.round(ms) / 1000;

export async function load(size, { chunk = 5000, log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const timings = {};
  let t = performance.now();
  const file = defaultFile(size);
  if (!existsSync(file)) {
    await writeFile(size, file);
    timings.generateSeconds = seconds(performance.now() - t);
    log(`generated ${file} in ${timings.generateSeconds} s`);
  }
  const url = databaseUrl(size);
  t = performance.now();
  await recreateDatabase(`bench_${size}`);
  const { applyMigrations } = dist('db/migrate.js');
  await applyMigrations(url);
  timings.migrateSeconds = seconds(performance.now() - t);
  log(`bench_${size}: created and migrated in ${timings.migrateSeconds} s`);

  const { createPrisma } = dist('db/prisma.js');
  const { importEngagements } = dist('modules/engagements/engagement-import.service.js');
  const prisma = createPrisma(url, { poolSize: 2 });
  const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line.trim());
  t = performance.now();
  let created = 0;
  try {
    for (let start = 0; start < lines.length; start += chunk) {
      const part = lines.slice(start, start + chunk).join('\n') + '\n';
      const report = await importEngagements(prisma, part, { actor: { actor: 'bench' } });
      if (report.errors.length) {
        const e = report.errors[0];
        throw new Error(`import refused (chunk at record ${start}): line ${e.line} ${e.field}: ${e.message} (+${report.errors.length - 1} more)`);
      }
      created += report.created;
      log(`  imported ${Math.min(start + chunk, lines.length)}/${lines.length} (${seconds(performance.now() - t)} s)`);
    }
  } finally {
    await prisma.$disconnect();
  }
  timings.importSeconds = seconds(performance.now() - t);

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  t = performance.now();
  // VACUUM too: it sets the visibility map, so counts can be index-only scans, as on any settled database.
  await client.query('VACUUM (ANALYZE)');
  timings.analyzeSeconds = seconds(performance.now() - t);
  const { rows } = await client.query(`SELECT
      (SELECT count(*) FROM meeting)::int AS meetings, (SELECT count(*) FROM meeting_channel)::int AS meeting_channels,
      (SELECT count(*) FROM outcome)::int AS outcomes, (SELECT count(*) FROM participation)::int AS participations,
      (SELECT count(*) FROM person)::int AS people, (SELECT count(*) FROM organization)::int AS organizations,
      (SELECT count(*) FROM host)::int AS hosts, (SELECT count(*) FROM source)::int AS sources,
      (SELECT count(*) FROM meeting_relation)::int AS relations, (SELECT count(*) FROM outcome_fulfilment)::int AS fulfilments,
      pg_size_pretty(pg_database_size(current_database())) AS size`);
  await client.end();
  const result = { size, method: `importer (importEngagements, chunks of ${chunk})`, created, ...timings, counts: rows[0], at: new Date().toISOString() };
  writeFileSync(path.join(here, 'data', `load-${size}.json`), JSON.stringify(result, null, 2) + '\n');
  log(`bench_${size}: imported ${created} in ${timings.importSeconds} s, ANALYZE ${timings.analyzeSeconds} s; ${JSON.stringify(rows[0])}`);
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const get = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
  const sizes = String(get('size', get('sizes', '1000'))).split(',').map(Number);
  for (const size of sizes) {
    const result = await load(size, { chunk: Number(get('chunk', '5000')) });
    console.log(JSON.stringify(result));
  }
}
