/**
 * Optional OpenTelemetry tracing, switched on by the standard OTEL_* variables and otherwise not
 * loaded at all (no SDK, no patched modules, nothing on the hot path but the API's no-op tracer).
 *
 * On when OTEL_TRACES_EXPORTER names an exporter (`otlp`, `console`), or when an OTLP endpoint is
 * set (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT); OTEL_SDK_DISABLED=true
 * or OTEL_TRACES_EXPORTER=none keep it off. The exporter sends OTLP over HTTP (JSON) and reads
 * the usual OTEL_EXPORTER_OTLP_* settings itself (endpoint, headers, timeout); OTEL_SERVICE_NAME
 * and OTEL_RESOURCE_ATTRIBUTES name the service; OTEL_TRACES_SAMPLER and OTEL_BSP_* are honoured.
 *
 * Spans: every HTTP request (instrumentation-http; probes and /metrics left out), each GraphQL
 * operation (request-log.ts: `query Dashboard`, with its cost, cache hit and error codes), and
 * every SQL statement (instrumentation-pg: Prisma's driver adapter and the planner both go
 * through `pg`; statements carry their text, never their parameter values).
 *
 * Instrumentations patch `http` and `pg` when those are first loaded, so this runs before
 * anything else is imported (tracing-bootstrap.ts is index.ts's first import).
 *
 * The packages are the OpenTelemetry JS 2.x line (sdk 2.12, instrumentations 0.223): the 3.x
 * line declares Node >= 22.15, and this service still runs on Node 20.
 */
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

export interface Tracing {
  /** Flushes spans not yet exported and stops; call when the server has stopped. */
  shutdown(): Promise<void>;
}

export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  if ((env.OTEL_SDK_DISABLED ?? '').toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (exporters.length) return exporters.some((name) => name !== 'none');
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

export interface TracingOptions {
  /** Export to this instead of what the environment names (tests: an InMemorySpanExporter). */
  exporter?: SpanExporter;
  /** Export each span as it ends, not in batches (tests). */
  immediate?: boolean;
  env?: NodeJS.ProcessEnv;
}

/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
export function startTracing(options: TracingOptions = {}): Tracing {
  const env = options.env ?? process.env;
  const { NodeTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, ConsoleSpanExporter } =
    require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { resourceFromAttributes, defaultResource, envDetector, detectResources } =
    require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');

  const exporters: SpanExporter[] = [];
  if (options.exporter) {
    exporters.push(options.exporter);
  } else {
    const names = (env.OTEL_TRACES_EXPORTER ?? 'otlp').split(',').map((name) => name.trim());
    if (names.includes('otlp') || names.includes('')) {
      const { OTLPTraceExporter } =
        require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
      exporters.push(new OTLPTraceExporter());
    }
    if (names.includes('console')) exporters.push(new ConsoleSpanExporter());
  }
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? 'uscn-engagements-api' }))
    // OTEL_RESOURCE_ATTRIBUTES (and OTEL_SERVICE_NAME again, which wins).
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: exporters.map((exporter) => (options.immediate ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter))),
  });
  // Global tracer provider, AsyncLocalStorage context and W3C trace-context propagation, so that
  // a caller's `traceparent` header continues its trace here.
  provider.register();
  const quiet = new Set(['/health', '/health/live', '/health/ready', '/metrics']);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => quiet.has((request.url ?? '').split('?')[0]),
        // The exporter's own requests, and anything else this server sends out, are not traced.
        ignoreOutgoingRequestHook: () => true,
      }),
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
    ],
  });
  return {
    async shutdown() {
      await provider.shutdown();
    },
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** Starts tracing when the environment asks for it (see above); undefined otherwise. */
export function startTracingFromEnvironment(env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  return tracingRequested(env) ? startTracing({ env }) : undefined;
}
