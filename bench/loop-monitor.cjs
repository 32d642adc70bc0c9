/**
 * Preloaded into the server by bench/hostile.mjs (`node --require`): prints, every 500 ms, the
 * longest the event loop was blocked since the last line, so that blocking is measured inside
 * the server rather than guessed from outside latencies.
 */
const { monitorEventLoopDelay } = require('node:perf_hooks');
const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
setInterval(() => {
  process.stderr.write(`LOOP_MAX_MS ${Math.round(histogram.max / 1e6)}\n`);
  histogram.reset();
}, 500).unref();
