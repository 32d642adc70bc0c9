#!/usr/bin/env node
/**
 * What one switch of the service buys, measured A/B in the same run: the service (response cache
 * off) started once per variant, each scenario loaded on every variant in alternating rounds, the
 * median of the rounds reported. Bodies are checked equal across variants first, so a variant that
 * answers differently is an error, not a figure.
 *
 *   node bench/steps.mjs [--size 10000] [--scenarios dashboard,meeting] [--runs 3] [--duration 5]
 *                        [--variant name=ENV=value,ENV=value ...]
 *
 * Without --variant it compares the read planner off (`PLANNER=false`: every field resolved by
 * graphql-js over the request's loaders) and on (the default: one SQL statement builds the data as
 * JSON text, sent without parsing). Needs bench_<size> loaded (bench/load.mjs) and `npm run build`.
 */
import autocannon from 'autocannon';
import { postJson, startService } from './lib.mjs';
import { databaseUrl } from './load.mjs';
import { SCENARIOS, firstDifference, prepareOn } from './scenarios.mjs';

const argv = process.argv.slice(2);
const get = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const size = Number(get('size', 10000));
const runs = Number(get('runs', 3));
const duration = Number(get('duration', 5));
const only = get('scenarios', null)?.split(',') ?? null;

function variantsFromArgs() {
  const given = argv.flatMap((a, i) => (a === '--variant' ? [argv[i + 1]] : []));
  if (given.length === 0) return [{ name: 'planner off', env: { PLANNER: 'false' } }, { name: 'planner on', env: { PLANNER: 'true' } }];
  return given.map((spec) => {
    const [name, assignments = ''] = spec.split(/=(.*)/s);
    const env = Object.fromEntries(assignments.split(',').filter(Boolean).map((kv) => kv.split(/=(.*)/s)));
    return { name, env };
  });
}

function cannon(url, payload) {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), connections: 10, duration, timeout: 60 },
      (error, result) => (error ? reject(error) : resolve({ rps: result.requests.total / duration, p97: result.latency.p97_5, errors: result.errors + result.timeouts + result.non2xx })),
    );
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const stripExtensions = (body) => {
  const parsed = JSON.parse(body);
  delete parsed.extensions;
  return parsed;
};

const variants = variantsFromArgs();
const started = [];
try {
  for (const v of variants) started.push({ ...v, server: await startService(databaseUrl(size), { RESPONSE_CACHE_MB: '0', ...v.env }) });
  const scenarios = await prepareOn(
    SCENARIOS.filter((s) => !only || only.includes(s.key)),
    { databaseUrl: databaseUrl(size), serviceUrl: started[0].server.graphqlUrl },
  );
  const rows = [];
  for (const s of scenarios) {
    const bodies = [];
    for (const v of started) {
      const r = await postJson(v.server.graphqlUrl, s.graphql);
      if (r.status !== 200) throw new Error(`${s.key} on ${v.name}: HTTP ${r.status} ${r.body.slice(0, 300)}`);
      bodies.push(stripExtensions(r.body));
      await cannon(v.server.graphqlUrl, s.graphql); // warm-up round, not counted
    }
    for (let i = 1; i < bodies.length; i++) {
      const d = firstDifference(bodies[0], bodies[i]);
      if (d) throw new Error(`${s.key}: ${started[i].name} answers differently from ${started[0].name}: ${d}`);
    }
    const figures = started.map(() => []);
    for (let round = 0; round < runs; round++) {
      for (const [i, v] of started.entries()) {
        const f = await cannon(v.server.graphqlUrl, s.graphql);
        if (f.errors) throw new Error(`${s.key} on ${v.name}: ${f.errors} errors or non-2xx under load`);
        figures[i].push(f);
      }
    }
    const cells = figures.map((fs) => ({ rps: median(fs.map((f) => f.rps)), p97: median(fs.map((f) => f.p97)) }));
    rows.push({ key: s.key, cells });
    console.log(`${s.key}: ${cells.map((c, i) => `${started[i].name} ${c.rps.toFixed(0)} req/s (p97.5 ${c.p97} ms)`).join(', ')}; ×${(cells.at(-1).rps / cells[0].rps).toFixed(2)}`);
  }
  console.log(`\n| scenario (bench_${size}, cache off, median of ${runs} × ${duration} s) | ${started.map((v) => `${v.name} req/s`).join(' | ')} | last ÷ first |`);
  console.log(`|---|${started.map(() => '---:|').join('')}---:|`);
  for (const r of rows) console.log(`| ${r.key} | ${r.cells.map((c) => c.rps.toFixed(0)).join(' | ')} | ${(r.cells.at(-1).rps / r.cells[0].rps).toFixed(2)} |`);
} finally {
  for (const v of started) await v.server.stop();
}
