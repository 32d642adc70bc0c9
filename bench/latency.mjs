#!/usr/bin/env node
/**
 * Single-client latency of each scenario on both systems (no concurrency): a quick way to see
 * what one request costs before load-testing.   node bench/latency.mjs --size 10000 [--repeat 3] [--scenarios a,b]
 */
import { postJson, sequentialLatency, startRawServer, startService } from './lib.mjs';
import { databaseUrl } from './load.mjs';
import { SCENARIOS, prepareOn } from './scenarios.mjs';

const argv = process.argv.slice(2);
const get = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const size = Number(get('size', 1000));
const repeat = Number(get('repeat', 3));
const service = await startService(databaseUrl(size));
const raw = await startRawServer(databaseUrl(size));
try {
  const only = get('scenarios', null)?.split(',') ?? null;
  const scenarios = await prepareOn(SCENARIOS.filter((s) => !only || only.includes(s.key)), { databaseUrl: databaseUrl(size), serviceUrl: service.graphqlUrl });
  for (const s of scenarios) {
    await postJson(service.graphqlUrl, s.graphql);
    await postJson(raw.url, s.raw);
    const a = await sequentialLatency(service.graphqlUrl, s.graphql, repeat);
    const b = await sequentialLatency(raw.url, s.raw, repeat);
    console.log(`bench_${size} ${s.key}: service ${a.toFixed(1)} ms, raw ${b.toFixed(1)} ms (median of ${repeat}, one client)`);
  }
} finally {
  await service.stop();
  await raw.stop();
}
