#!/usr/bin/env node
/**
 * Where a request's CPU goes: starts this service (response cache off) with V8's CPU profiler,
 * loads one scenario with autocannon, stops the service and prints the heaviest packages and
 * functions by self time.
 *
 *   node bench/profile.mjs [--size 1000] [--scenario dashboard] [--duration 8] [--top 30]
 *
 * The .cpuprofile is kept (path printed) for Chrome DevTools or speedscope. Self time under
 * `writev` is mostly the process waiting for a core while PostgreSQL runs on this 2-core machine,
 * not work in Node; "(idle)" is time with nothing to do.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { startService } from './lib.mjs';
import { databaseUrl } from './load.mjs';
import { SCENARIOS, prepareOn } from './scenarios.mjs';

const argv = process.argv.slice(2);
const get = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const size = Number(get('size', 1000));
const chosen = SCENARIOS.find((s) => s.key === get('scenario', 'dashboard'));
if (!chosen) throw new Error(`unknown scenario; known: ${SCENARIOS.map((s) => s.key).join(', ')}`);
const duration = Number(get('duration', 8));
const top = Number(get('top', 30));

const dir = mkdtempSync(path.join(os.tmpdir(), 'uscn-profile-'));
const service = await startService(databaseUrl(size), { RESPONSE_CACHE_MB: '0' }, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
// Size-dependent parameters (slugs, ids, a cursor) are fetched through the service itself: a few requests in the profile.
const [scenario] = await prepareOn([chosen], { databaseUrl: databaseUrl(size), serviceUrl: service.graphqlUrl });
const run = (seconds) =>
  autocannon({
    url: service.graphqlUrl,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(scenario.graphql),
    connections: 10,
    duration: seconds,
  });
const warmUp = await run(3);
const result = await run(duration);
await service.stop();

const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const byPackage = new Map();
const byFunction = new Map();
let total = 0;
for (const [id, micros] of self) {
  const { callFrame } = nodes.get(id);
  total += micros;
  const pkg = callFrame.url.match(/node_modules\/((@[^/]+\/)?[^/]+)/)?.[1] ?? (callFrame.url ? callFrame.url.split('/').slice(-2).join('/') : callFrame.functionName);
  const fn = `${callFrame.functionName || '(anonymous)'} ${callFrame.url.split('/').slice(-2).join('/')}:${callFrame.lineNumber + 1}`;
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
}
// The profile covers the warm-up too, so per-request figures divide by every request served.
const requests = warmUp.requests.total + result.requests.total;
const table = (map) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, micros]) => `${(micros / 1000).toFixed(0).padStart(7)} ms ${(micros / requests / 1000).toFixed(3).padStart(7)} ms/req  ${name}`)
    .join('\n');
console.log(`${scenario.key} at ${size} meetings: ${(result.requests.total / duration).toFixed(1)} req/s over ${duration} s; profile ${(total / 1000).toFixed(0)} ms for ${requests} requests (3 s warm-up included, and start-up)`);
console.log(`\nby package (self time):\n${table(byPackage)}\n\nby function (self time):\n${table(byFunction)}\n\nprofile: ${path.join(dir, file)}`);
