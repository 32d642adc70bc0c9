#!/usr/bin/env node
/**
 * CPU time per request, split between the HTTP server's process and PostgreSQL's backends, for the
 * service (response cache off) and for the raw-SQL server on the same scenario. Throughput on this
 * shared 2-core machine moves with whatever else runs; CPU time per request moves far less, and it
 * says which side a gap is on: Node's per-request work, or the statement PostgreSQL runs.
 *
 *   node bench/cpu.mjs [--size 1000] [--scenarios person,channel] [--requests 3000] [--rounds 3]
 *
 * Reads utime + stime of the server's process and of every backend connected to bench_<size>
 * (/proc, Linux only) before and after each round of requests (4 connections, autocannon), and
 * prints the median round. Needs bench_<size> loaded (bench/load.mjs) and `npm run build`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import pg from 'pg';
import { startRawServer, startService } from './lib.mjs';
import { databaseUrl } from './load.mjs';
import { SCENARIOS, prepareOn } from './scenarios.mjs';

const argv = process.argv.slice(2);
const get = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const size = Number(get('size', 1000));
const requests = Number(get('requests', 3000));
const rounds = Number(get('rounds', 3));
const only = get('scenarios', null)?.split(',') ?? null;
const url = databaseUrl(size);

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
function cpuMs(pid) {
  // Fields after the command name: utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

const monitor = new pg.Client({ connectionString: url });
await monitor.connect();
async function backendsCpu() {
  const { rows } = await monitor.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  const used = new Map();
  for (const { pid } of rows) {
    try {
      used.set(pid, cpuMs(pid));
    } catch {
      // the backend ended meanwhile
    }
  }
  return used;
}

function load(target, payload, amount) {
  return new Promise((resolve, reject) => {
    autocannon(
      { url: target, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), connections: 4, amount },
      (error, result) => (error ? reject(error) : result.non2xx || result.errors ? reject(new Error(`${result.non2xx} non-2xx, ${result.errors} errors`)) : resolve()),
    );
  });
}

async function perRequest(target, pid, payload) {
  await load(target, payload, Math.min(requests, 1000)); // warm-up: JIT, prepared statements, generic plans
  const figures = [];
  for (let round = 0; round < rounds; round++) {
    const db0 = await backendsCpu();
    const node0 = cpuMs(pid);
    await load(target, payload, requests);
    const node = (cpuMs(pid) - node0) / requests;
    let database = 0;
    for (const [backend, used] of await backendsCpu()) database += used - (db0.get(backend) ?? 0);
    figures.push({ node, database: database / requests });
  }
  figures.sort((a, b) => a.node + a.database - (b.node + b.database));
  return figures[Math.floor(figures.length / 2)];
}

const service = await startService(url, { RESPONSE_CACHE_MB: '0' });
const raw = await startRawServer(url);
try {
  const scenarios = await prepareOn(SCENARIOS.filter((s) => !only || only.includes(s.key)), { databaseUrl: url, serviceUrl: service.graphqlUrl });
  console.log(`| scenario (bench_${size}, CPU ms per request, median of ${rounds} × ${requests}) | service: Node | service: PostgreSQL | raw SQL: Node | raw SQL: PostgreSQL |`);
  console.log('|---|---:|---:|---:|---:|');
  for (const s of scenarios) {
    const a = await perRequest(service.graphqlUrl, service.pid, s.graphql);
    const b = await perRequest(raw.url, raw.pid, s.raw);
    console.log(`| ${s.key} | ${a.node.toFixed(3)} | ${a.database.toFixed(3)} | ${b.node.toFixed(3)} | ${b.database.toFixed(3)} |`);
  }
} finally {
  await monitor.end();
  await service.stop();
  await raw.stop();
}
