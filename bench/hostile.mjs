#!/usr/bin/env node
/**
 * Hostile requests against the built service on a large database, measured from outside (issue 9):
 * for every case, the HTTP status and code, how long the refusal took, how long the event loop
 * was blocked (the worst latency of a tiny request sent every 20 ms meanwhile), and the server's
 * RSS; then a soak of hostile and ordinary traffic mixed, and a database outage through a proxy
 * that is cut and restored.
 *
 *   node bench/load.mjs --size 20000                     # once: the bench_20000 database
 *   node bench/hostile.mjs --size 20000 --mode production [--soak 60] [--out bench/results/hostile-20000-production.json]
 *
 * Needs `npm run build` and BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { databaseUrl } from './load.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '20000' },
    mode: { type: 'string', default: 'production' },
    soak: { type: 'string', default: '60' },
    out: { type: 'string' },
  },
});
const size = Number(args.size);
const target = new URL(databaseUrl(size));

// ---------------------------------------------------------------------------------------------
// A proxy between the server and PostgreSQL, so that the outage phase can cut it.
let proxyMode = 'open';
const sockets = new Set();
const proxy = net.createServer((client) => {
  sockets.add(client);
  client.on('error', () => undefined);
  client.on('close', () => sockets.delete(client));
  if (proxyMode !== 'open') return;
  const upstream = net.connect(Number(target.port || 5432), target.hostname);
  sockets.add(upstream);
  upstream.on('error', () => client.destroy());
  upstream.on('close', () => {
    sockets.delete(upstream);
    client.destroy();
  });
  client.on('close', () => upstream.destroy());
  client.on('data', (chunk) => proxyMode === 'open' && upstream.write(chunk));
  upstream.on('data', (chunk) => proxyMode === 'open' && client.write(chunk));
});
await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const proxied = new URL(target);
proxied.hostname = '127.0.0.1';
proxied.port = String(proxy.address().port);

// ---------------------------------------------------------------------------------------------
const port = 4500 + Math.floor(Math.random() * 400);
const server = spawn(process.execPath, ['--require', path.join(here, 'loop-monitor.cjs'), path.join(here, '..', 'dist', 'src', 'index.js')], {
  env: {
    ...process.env,
    DATABASE_URL: proxied.toString(),
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: args.mode,
    SEED_ON_EMPTY: 'false',
    // Rate limits would refuse most of this run before the mechanisms under test are reached.
    RATE_LIMIT_PER_SECOND: '0',
    AUTH_FAILURES_PER_MINUTE: '0',
    RESPONSE_CACHE_MB: '0',
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let serverLog = '';
/** The longest event-loop block the server reported since the last call (loop-monitor.cjs). */
let loopMax = 0;
const takeLoopMax = () => {
  const value = loopMax;
  loopMax = 0;
  return value;
};
server.stdout.on('data', (c) => (serverLog += c));
server.stderr.on('data', (chunk) => {
  for (const line of String(chunk).split('\n')) {
    const match = /^LOOP_MAX_MS (\d+)/.exec(line);
    if (match) loopMax = Math.max(loopMax, Number(match[1]));
    else if (line) serverLog += `${line}\n`;
  }
});
const url = `http://127.0.0.1:${port}/graphql`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
  } catch {}
  if (i > 300) throw new Error(`server did not start:\n${serverLog}`);
  await new Promise((r) => setTimeout(r, 100));
}

const rssMb = () => {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
};

/**
 * While a case runs: the longest event-loop block the server reports (loop-monitor.cjs), and the
 * worst latency of a tiny request sent every 20 ms (what another client would have felt).
 */
function startPinger() {
  let worst = 0;
  let running = true;
  takeLoopMax();
  const loop = async () => {
    while (running) {
      const start = performance.now();
      try {
        await fetch(`${url}?query=%7B__typename%7D`);
      } catch {}
      worst = Math.max(worst, performance.now() - start);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const done = loop();
  return async () => {
    running = false;
    await done;
    // The monitor reports every 500 ms: wait for the report covering the end of the case.
    await new Promise((r) => setTimeout(r, 600));
    return { loop: takeLoopMax(), latency: Math.round(worst) };
  };
}

async function send(body, headers = {}) {
  const start = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let code;
  try {
    const json = JSON.parse(text);
    code = (Array.isArray(json) ? json.flatMap((r) => r.errors ?? []) : (json.errors ?? [])).map((e) => e.extensions?.code).join(',') || 'ok';
  } catch {
    code = 'not JSON';
  }
  return { status: response.status, code, ms: performance.now() - start, bytes: text.length };
}

// ---------------------------------------------------------------------------------------------
const person = await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ people(first: 1) { edges { node { slug } } } }' }) })).json();
const slug = person.data.people.edges[0].node.slug;
const nestedFilter = (levels) => {
  let f = '{channels: ["military"]}';
  for (let i = 0; i < levels; i++) f = `{meeting: {outcomes: ${f}}}`;
  return f;
};
const fanOut = () => {
  let q = 'query { a: meetings(first: 1) { ...F19 } } fragment F0 on MeetingConnection { totalCount }';
  for (let i = 1; i < 20; i++) q += ` fragment F${i} on MeetingConnection { pageInfo { hasNextPage } a${i}: edges { cursor } ...F${i - 1} }`;
  return q;
};
const CASES = {
  'fan-out through plain lists': { query: `{ person(slug: "${slug}") { participations { meeting { participants { person { participations { role } } } } } } }` },
  'the same, two aliases': { query: `{ a: person(slug: "${slug}") { participations { meeting { participants { person { participations { role } } } } } } b: person(slug: "${slug}") { participations { meeting { participants { person { participations { role } } } } } } }` },
  'batch of 10 heavy pages': Array(10).fill({ query: '{ meetings(first: 100) { edges { node { participants { person { name } } outcomes { channel { slug } } } } } }' }),
  'variable array of 10^6 elements': { query: 'query($c: [String!]) { meetings(filter: {channels: $c}) { totalCount } }', variables: { c: Array(1_000_000).fill(0) } },
  '40,000 duplicated __typename (440 KB)': { query: `{${' __typename'.repeat(40_000)}}` },
  '9,000 duplicated __typename (99 KB)': { query: `{${' __typename'.repeat(9_000)}}` },
  '2,000 × meetings { totalCount }': { query: `{${' meetings { totalCount }'.repeat(2_000)}}` },
  '2,000 aliased totalCounts': { query: `{${Array.from({ length: 2000 }, (_, i) => ` m${i}: meetings { totalCount }`).join('')}}` },
  'filter nested 60 levels': { query: `{ outcomes(filter: ${nestedFilter(60)}) { totalCount } }` },
  'filter nested 4 levels (allowed)': { query: `{ outcomes(filter: ${nestedFilter(2)}) { totalCount } }` },
  'or of 70,000 conditions (variables)': { query: 'query($f: [MeetingFilter!]) { meetings(filter: {or: $f}) { totalCount } }', variables: { f: Array(70_000).fill({ countryCode: 'CN' }) } },
  'fragment fan-out': { query: fanOut() },
  '10,000-operation document': { query: Array.from({ length: 10_000 }, (_, i) => `query Q${i}{a}`).join(' ') },
  '50,000 aliases': { query: `{${Array.from({ length: 50_000 }, (_, i) => ` a${i}: __typename`).join('')}}` },
  'deep nesting (3,000)': { query: `{${'a{'.repeat(3000)}b${'}'.repeat(3001)}` },
  'float for Int': { query: 'query($n: Int) { meetings(first: $n) { totalCount } }', variables: { n: 1.5 } },
  'NUL in a string argument': { query: 'query($p: String) { meetings(filter: {participant: $p}) { totalCount } }', variables: { p: 'a\u0000b' } },
  'forged cursor (2^31)': { query: `{ meetings(after: "${Buffer.from(JSON.stringify(['meetings:START_DATE_DESC', '2023-02-01', 2 ** 31])).toString('base64url')}") { totalCount } }` },
  'APQ with a wrong hash': { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } },
  'malformed JSON': '{"query": ',
  'introspection bomb': { query: '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }' },
  'stats over every dimension': { query: '{ stats(groupBy: [CHANNEL, STATUS, TRACK, KIND, SIDE, COUNTRY, YEAR, MONTH]) { count } }' },
  'heaviest allowed page (100 meetings, every part)': {
    query: '{ meetings(first: 100) { totalCount edges { node { title summary channels { slug } outcomes { status description note channel { slug } } participants { role person { name } organization { name } } hosts { name } sources { publisher url } related(limit: 10) { relation meeting { title } } } } } }',
  },
  'search, 100 hits': { query: '{ search(query: "dialogue", first: 100) { totalCount edges { node { kind score snippet } } } }' },
  'timelines, every channel': { query: '{ timelines { channel { slug } truncated events(limit: 500) { date phase } } }' },
};

const results = [];
const baseline = rssMb();
let peakRss = baseline;
for (const [name, body] of Object.entries(CASES)) {
  const stop = startPinger();
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await send(body));
  const { loop: blocked, latency } = await stop();
  const rss = rssMb();
  peakRss = Math.max(peakRss, rss);
  const row = {
    case: name,
    status: [...new Set(runs.map((r) => r.status))].join('/'),
    code: [...new Set(runs.map((r) => r.code))].join('/'),
    maxMs: Math.round(Math.max(...runs.map((r) => r.ms))),
    eventLoopMs: blocked,
    otherClientMs: latency,
    rssMb: rss,
  };
  results.push(row);
  console.log(`${name.padEnd(48)} ${row.status.padEnd(8)} ${row.code.slice(0, 30).padEnd(30)} ${String(row.maxMs).padStart(6)} ms  loop ${String(blocked).padStart(5)} ms  other ${String(latency).padStart(5)} ms  rss ${rss} MB`);
}

// Ten of the slowest refused shapes at once: nothing may hold the pool or the loop.
{
  const stop = startPinger();
  const start = performance.now();
  const statuses = await Promise.all(Array.from({ length: 10 }, () => send(CASES['filter nested 60 levels'])));
  const { loop, latency } = await stop();
  results.push({ case: '10 × filter nested 60 levels, at once', status: [...new Set(statuses.map((s) => s.status))].join('/'), code: statuses[0].code, maxMs: Math.round(performance.now() - start), eventLoopMs: loop, otherClientMs: latency, rssMb: rssMb() });
  console.log(results.at(-1));
}

// ---------------------------------------------------------------------------------------------
// Soak: 50 connections, a mix of every case above and ordinary reads.
const soakSeconds = Number(args.soak);
const soak = { requests: 0, fiveHundreds: 0, byStatus: {}, rssStart: rssMb(), rssEnd: 0, rssPeak: 0, worstLoopMs: 0, worstOtherClientMs: 0 };
if (soakSeconds > 0) {
  const bodies = [...Object.values(CASES).filter((b) => JSON.stringify(b).length < 300_000), { query: '{ meetings(first: 20) { edges { node { title channels { slug } } } } }' }, { query: '{ channels { slug } }' }];
  const stop = startPinger();
  const end = Date.now() + soakSeconds * 1000;
  const sampler = setInterval(() => (soak.rssPeak = Math.max(soak.rssPeak, rssMb())), 500);
  await Promise.all(
    Array.from({ length: 50 }, async (_, worker) => {
      for (let i = worker; Date.now() < end; i++) {
        const result = await send(bodies[i % bodies.length]);
        soak.requests += 1;
        soak.byStatus[result.status] = (soak.byStatus[result.status] ?? 0) + 1;
        if (result.status >= 500) soak.fiveHundreds += 1;
      }
    }),
  );
  clearInterval(sampler);
  const { loop, latency } = await stop();
  soak.worstLoopMs = loop;
  soak.worstOtherClientMs = latency;
  soak.rssEnd = rssMb();
  console.log('soak', soak);
}

// ---------------------------------------------------------------------------------------------
// Outage: the proxy refuses for 10 s, then drops packets for 10 s; requests must turn into
// coded 503s within the deadline and the service recover by itself once the database is back.
async function outage(kind) {
  const write = await send({ query: '{ __typename }' });
  if (write.status !== 200) throw new Error('not healthy before the outage');
  proxyMode = kind === 'refused' ? 'closed' : 'blackhole';
  if (kind === 'refused') {
    for (const s of sockets) s.destroy();
    await new Promise((r) => proxy.close(r));
  }
  const during = [];
  const until = Date.now() + 10_000;
  while (Date.now() < until) during.push(await send({ query: '{ meetings(first: 5) { totalCount } }' }));
  proxyMode = 'open';
  if (kind === 'refused') await new Promise((r) => proxy.listen(Number(proxied.port), '127.0.0.1', r));
  const back = performance.now();
  let recoveredMs;
  for (;;) {
    const r = await send({ query: '{ meetings(first: 5) { totalCount } }' });
    if (r.status === 200 && r.code === 'ok') {
      recoveredMs = Math.round(performance.now() - back);
      break;
    }
    if (performance.now() - back > 30_000) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  const row = {
    kind,
    requests: during.length,
    statuses: [...new Set(during.map((d) => `${d.status} ${d.code}`))],
    worstMs: Math.round(Math.max(...during.map((d) => d.ms))),
    recoveredMs,
  };
  console.log('outage', row);
  return row;
}
const outages = [await outage('refused'), await outage('blackhole')];

server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
proxy.close();
for (const s of sockets) s.destroy();

const summary = {
  size,
  mode: args.mode,
  node: process.version,
  baselineRssMb: baseline,
  peakRssMb: peakRss,
  cases: results,
  soak: soakSeconds > 0 ? { seconds: soakSeconds, ...soak } : null,
  outages,
  fiveHundredsOutsideOutage: results.filter((r) => r.status.split('/').some((s) => Number(s) >= 500)).length + soak.fiveHundreds,
  logLines: serverLog.split('\n').filter(Boolean).length,
  logBytes: serverLog.length,
};
const out = args.out ?? path.join(here, 'results', `hostile-${size}-${args.mode}.json`);
writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);
console.log(`\nwrote ${path.relative(process.cwd(), out)}; ${createHash('sha1').update(JSON.stringify(results)).digest('hex').slice(0, 8)}`);
process.exit(0);
