import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { headers, type MsgHdrs } from '@nats-io/transport-node';
import type { IncomingMessage } from 'node:http';

export { SpanKind };

/**
 * Tracing is on when the standard variables name an OTLP endpoint, and off otherwise: with no
 * provider registered the API's tracer is a no-op, so an untraced process pays next to nothing.
 */
export const tracingConfigured = (env: Readonly<Record<string, string | undefined>>): boolean =>
  Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) &&
  env.OTEL_SDK_DISABLED !== 'true' &&
  env.OTEL_TRACES_EXPORTER !== 'none';

/**
 * Registers the OpenTelemetry SDK for this process: spans batched to the OTLP/HTTP endpoint the
 * `OTEL_*` variables configure, W3C trace context as the propagation format. Resolves the
 * function that flushes and stops it.
 */
export const startTracing = (
  service: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): (() => Promise<void>) => {
  if (!tracingConfigured(env)) return async () => undefined;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': env.OTEL_SERVICE_NAME ?? `orderflow-${service}`,
    }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // AsyncLocalStorage carries the active span across awaits; W3C trace context crosses processes.
  provider.register();
  return () => provider.shutdown();
};

const tracer = () => trace.getTracer('orderflow');

export interface SpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  /** The span's parent: the active context unless given (a message's, a request's). */
  readonly parent?: Context;
}

/** Runs `work` as the active span `name`, and ends the span with its outcome. */
export const inSpan = <T>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
): Promise<T> =>
  tracer().startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes ?? {} },
    options.parent ?? context.active(),
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
        throw error;
      } finally {
        span.end();
      }
    },
  );

/** The active span's W3C trace context (`traceparent`, ...) for headers; empty when untraced. */
export const traceHeaders = (): Record<string, string> => {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
};

/**
 * The same as NATS message headers, for a publish: whoever handles the message continues the
 * trace. Undefined when untraced, so an untraced publish carries no headers at all.
 */
export const natsTraceHeaders = (): MsgHdrs | undefined => {
  const entries = Object.entries(traceHeaders());
  if (entries.length === 0) return undefined;
  const result = headers();
  for (const [name, value] of entries) result.set(name, value);
  return result;
};

/** The trace context a message or request carried in `get`'s headers, as a span's parent. */
export const traceContextFrom = (get: (name: string) => string | undefined): Context =>
  propagation.extract(ROOT_CONTEXT, undefined, {
    get: (_, name) => get(name),
    keys: () => [],
  });

/** A server span for a GraphQL request, continuing the caller's trace when it sent one. */
export const inRequestSpan = <T>(request: IncomingMessage, work: () => Promise<T>): Promise<T> => {
  if (!request.url?.startsWith('/graphql')) return work();
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return inSpan(
    `${request.method ?? 'GET'} /graphql`,
    {
      kind: SpanKind.SERVER,
      parent: traceContextFrom(header),
      attributes: { 'http.request.method': request.method ?? 'GET', 'url.path': '/graphql' },
    },
    work,
  );
};
