import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One span as it arrived, with the service (`service.name`) that exported it. */
export interface ReceivedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  /** Absent (or empty) for a root span. */
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

/**
 * OTLP/HTTP JSON as `@opentelemetry/exporter-trace-otlp-http` sends it (ExportTraceServiceRequest
 * in the protobuf JSON mapping): ids in hex, times as strings, attribute values as AnyValue.
 */
interface AnyValue {
  readonly stringValue?: string;
  readonly intValue?: string | number;
  readonly doubleValue?: number;
  readonly boolValue?: boolean;
}
interface KeyValue {
  readonly key: string;
  readonly value?: AnyValue;
}
interface ExportTraceServiceRequest {
  readonly resourceSpans?: readonly {
    readonly resource?: { readonly attributes?: readonly KeyValue[] };
    readonly scopeSpans?: readonly {
      readonly spans?: readonly {
        readonly traceId: string;
        readonly spanId: string;
        readonly parentSpanId?: string;
        readonly name: string;
        readonly attributes?: readonly KeyValue[];
      }[];
    }[];
  }[];
}

const valueOf = (value: AnyValue | undefined): string | number | boolean | undefined =>
  value?.stringValue ??
  (value?.intValue === undefined ? undefined : Number(value.intValue)) ??
  value?.doubleValue ??
  value?.boolValue;

const attributesOf = (list: readonly KeyValue[] | undefined) => {
  const attributes: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    const plain = valueOf(value);
    if (plain !== undefined) attributes[key] = plain;
  }
  return attributes;
};

const bodyOf = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  // OTEL_EXPORTER_OTLP_COMPRESSION=gzip would compress it.
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
};

export interface OtlpReceiver {
  /** The value for OTEL_EXPORTER_OTLP_ENDPOINT: the exporters post to `<url>/v1/traces`. */
  readonly url: string;
  /** The spans of one trace received so far, in arrival order. */
  trace(traceId: string): readonly ReceivedSpan[];
  /** Drops what was received of a trace, once it has been read. */
  forget(traceId: string): void;
  /** Exports refused: not JSON (a protobuf exporter), or not an ExportTraceServiceRequest. */
  readonly refused: () => readonly string[];
  stop(): Promise<void>;
}

/**
 * A local OTLP/HTTP receiver, JSON only, keeping the spans of the traces asked for, by trace. Every process of the system
 * exports here when started with OTEL_EXPORTER_OTLP_ENDPOINT set to its `url`.
 */
export const startOtlpReceiver = async (
  /** Which traces to keep: the others (the system's own background work) are dropped on arrival. */
  keep: (traceId: string) => boolean = () => true,
): Promise<OtlpReceiver> => {
  const traces = new Map<string, ReceivedSpan[]>();
  const refused: string[] = [];
  const receive = (body: ExportTraceServiceRequest) => {
    for (const { resource, scopeSpans } of body.resourceSpans ?? []) {
      const service = String(attributesOf(resource?.attributes)['service.name'] ?? '?');
      for (const scope of scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          if (!keep(span.traceId)) continue;
          let spans = traces.get(span.traceId);
          if (spans === undefined) traces.set(span.traceId, (spans = []));
          spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || undefined,
            name: span.name,
            attributes: attributesOf(span.attributes),
          });
        }
      }
    }
  };
  const server = createServer((request, response) => {
    const answer = (status: number, message?: string) => {
      if (message !== undefined && refused.length < 20) refused.push(message);
      response.writeHead(status, { 'content-type': 'application/json' });
      // An empty ExportTraceServiceResponse: everything accepted.
      response.end(status === 200 ? '{}' : JSON.stringify({ message }));
    };
    if (request.method !== 'POST' || request.url !== '/v1/traces') {
      request.resume();
      answer(404, `${request.method} ${request.url}`);
      return;
    }
    if (!String(request.headers['content-type']).startsWith('application/json')) {
      request.resume();
      answer(415, `content-type ${request.headers['content-type']}: only OTLP/HTTP JSON is read`);
      return;
    }
    bodyOf(request).then(
      (body) => {
        try {
          receive(JSON.parse(body.toString('utf8')) as ExportTraceServiceRequest);
          answer(200);
        } catch (error) {
          answer(400, error instanceof Error ? error.message : String(error));
        }
      },
      (error: unknown) => answer(400, String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    trace: (traceId) => traces.get(traceId) ?? [],
    forget: (traceId) => traces.delete(traceId),
    refused: () => refused,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
