#!/usr/bin/env node
/**
 * Single-client latency of each scenario on both systems (no concurrency): a quick way to see
 * what one request costs before load-testing.   node bench/latency.mjs --size 10000 [--repeat 3]
 */
import { postJson, sequentialLatency, startRawServer, startService } from './lib.mjs';
import { databaseUrl } from './load.mjs';
import { SCENARIOS } from './scenarios.mjs';

const argv = process.argv.slice(2);
const get = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const size = Number(get('size', 1000));
const repeat = Number(get('repeat', 3));
const service = await startService(databaseUrl(size));
const raw = await startRawServer(databaseUrl(size));
try {
  for (const s of SCENARIOS) {
    await postJson(service.graphqlUrl, s.graphql);
    await postJson(raw.url, { scenario: s.key });
    const a = await sequentialLatency(service.graphqlUrl, s.graphql, repeat);
    const b = await sequentialLatency(raw.url, { scenario: s.key }, repeat);
    console.log(`bench_${size} ${s.key}: service ${a.toFixed(1)} ms, raw ${b.toFixed(1)} ms (median of ${repeat}, one client)`);
  }
} finally {
  await service.stop();
  await raw.stop();
}
