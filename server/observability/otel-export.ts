// Emits stored spans through @opentelemetry/api and exports them over OTLP/HTTP
// when OTEL_EXPORTER_OTLP_ENDPOINT is set; unset, nothing is set up and emitting
// costs one check. An exported span keeps the ids stored in trace_spans: the
// trace id comes from the parent's span context (or, for the root, like the span
// id, from an IdGenerator handed the stored ids just before startSpan), so a
// collector and the console show the same trace.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, RandomIdGenerator, TracerProvider, type IdGenerator } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { env } from '../env';
import { logger } from './logger';
import type { StoredSpan } from './trace-spans';

const TRACER_NAME = 'enclave';

/** Hands out the stored ids for the one span being started, random ones otherwise. */
class StoredIdGenerator implements IdGenerator {
  private pending: { traceId: string; spanId: string } | null = null;
  private readonly random = new RandomIdGenerator();

  /** startSpan() asks for its ids synchronously, so the pending ids cannot reach another span. */
  withIds<T>(ids: { traceId: string; spanId: string }, start: () => T): T {
    this.pending = ids;
    try {
      return start();
    } finally {
      this.pending = null;
    }
  }

  generateTraceId(): string {
    return this.pending?.traceId ?? this.random.generateTraceId();
  }

  generateSpanId(): string {
    return this.pending?.spanId ?? this.random.generateSpanId();
  }
}

type Export = { provider: TracerProvider; tracer: Tracer; ids: StoredIdGenerator };

// Kept on globalThis: the Next.js server bundle holds its own copy of this module
// beside the launcher's, and both must reach the one exporter of the process.
const SLOT = Symbol.for('enclave.trace-export');
type Slot = { [SLOT]?: Export | null };

function activeExport(): Export | null {
  return (globalThis as Slot)[SLOT] ?? null;
}

function setActiveExport(value: Export | null): void {
  (globalThis as Slot)[SLOT] = value;
}

export type TraceExportOptions = {
  /** The OTLP base URL; spans are posted to <endpoint>/v1/traces. */
  endpoint: string;
  serviceName: string;
  /** How long spans wait to be sent in a batch. */
  scheduledDelayMs?: number;
};

/** The OTLP/HTTP traces URL for a base endpoint, as the OpenTelemetry exporter spec builds it. */
export function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

export function startTraceExport(options: TraceExportOptions): void {
  if (activeExport()) return;
  const ids = new StoredIdGenerator();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    idGenerator: ids,
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: tracesUrl(options.endpoint) }),
        scheduledDelayMillis: options.scheduledDelayMs ?? 1_000,
      }),
    ],
  });
  // Registered globally, spans go through the API like any instrumentation's; if
  // another provider was registered first, this one is used directly.
  const registered = trace.setGlobalTracerProvider(provider);
  setActiveExport({ provider, ids, tracer: registered ? trace.getTracer(TRACER_NAME) : provider.getTracer(TRACER_NAME) });
  logger.info({ endpoint: tracesUrl(options.endpoint) }, 'exporting traces over OTLP/HTTP');
}

/** Starts the export when OTEL_EXPORTER_OTLP_ENDPOINT is set; both the app and `npm run worker` call it. */
export function startTraceExportFromEnv(): void {
  const { OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME } = env();
  if (OTEL_EXPORTER_OTLP_ENDPOINT) startTraceExport({ endpoint: OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: OTEL_SERVICE_NAME });
}

/** Sends what is still batched. */
export async function flushTraceExport(): Promise<void> {
  await activeExport()?.provider.forceFlush();
}

/** Flushes and stops the export (process shutdown, tests). */
export async function stopTraceExport(): Promise<void> {
  const stopping = activeExport();
  if (!stopping) return;
  setActiveExport(null);
  await stopping.provider.shutdown().catch((error: unknown) => logger.warn({ reason: String(error) }, 'trace export shutdown failed'));
  trace.disable();
}

/** Emits spans that were just committed to trace_spans. Never throws: tracing must not fail a run. */
export function exportSpans(spans: readonly (StoredSpan | null | undefined)[]): void {
  const active = activeExport();
  if (!active) return;
  for (const span of spans) {
    if (!span) continue;
    try {
      emit(active, span);
    } catch (error) {
      logger.warn({ runId: span.runId, reason: String(error) }, 'a span could not be exported');
    }
  }
}

function emit({ tracer, ids }: Export, span: StoredSpan): void {
  const parent = span.parentSpanId
    ? trace.setSpanContext(ROOT_CONTEXT, { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: true })
    : ROOT_CONTEXT;
  const started = ids.withIds({ traceId: span.traceId, spanId: span.spanId }, () =>
    tracer.startSpan(
      span.name,
      { kind: span.kind === 'model' ? SpanKind.CLIENT : SpanKind.INTERNAL, startTime: span.startedAt, attributes: span.attributes, root: !span.parentSpanId },
      parent,
    ),
  );
  if (span.status === 'error') {
    started.setAttribute('error.type', span.kind === 'run' ? String(span.attributes['enclave.run.status'] ?? 'error') : `${span.kind}_error`);
    started.setStatus({ code: SpanStatusCode.ERROR, ...(span.statusMessage ? { message: span.statusMessage } : {}) });
  }
  started.end(span.endedAt);
}
