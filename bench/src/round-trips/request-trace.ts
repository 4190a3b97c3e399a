import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OtlpReceiver, ReceivedSpan } from '../otlp-receiver';

/**
 * A trace the bench starts itself: the request carries a W3C `traceparent` naming a span that
 * exists only here, so the gateway's server span continues it and every span of the request,
 * in every process, carries this trace id and nothing else does.
 */
export interface RequestTrace {
  readonly traceId: string;
  /** The made-up parent: the gateway's request span is the one span whose parent is this. */
  readonly parentSpanId: string;
  readonly headers: Record<string, string>;
}

export const newRequestTrace = (): RequestTrace => {
  const traceId = randomBytes(16).toString('hex');
  const parentSpanId = randomBytes(8).toString('hex');
  return { traceId, parentSpanId, headers: { traceparent: `00-${traceId}-${parentSpanId}-01` } };
};

/** Apollo Gateway's span around one subgraph request; its `service` attribute names the subgraph. */
const FETCH = 'gateway.fetch';

const shortService = (service: string) => service.replace(/^orderflow-/, '');

/**
 * Why the trace is not whole yet, or undefined when it is: the gateway's request span arrived,
 * every span's parent arrived, and every subgraph fetch has the subgraph's side under it.
 * Children end before their parents, and a process exports what ended in order, so a process's
 * spans under a span that arrived are there too.
 */
const missing = (trace: RequestTrace, spans: readonly ReceivedSpan[]): string | undefined => {
  const ids = new Set(spans.map((span) => span.spanId));
  if (!spans.some((span) => span.parentSpanId === trace.parentSpanId)) {
    return "the gateway's request span";
  }
  const orphan = spans.find(
    (span) =>
      span.parentSpanId !== trace.parentSpanId &&
      (span.parentSpanId === undefined || !ids.has(span.parentSpanId)),
  );
  if (orphan !== undefined) return `the parent of ${orphan.service} ${orphan.name}`;
  const parents = new Set(spans.map((span) => span.parentSpanId));
  const bare = spans.find((span) => span.name === FETCH && !parents.has(span.spanId));
  if (bare !== undefined) return `the ${String(bare.attributes.service)} side of a gateway.fetch`;
  return undefined;
};

/**
 * The trace's spans once it is whole and has not changed for `quietMs`; the exporters batch
 * (every OTEL_BSP_SCHEDULE_DELAY ms), so spans of one request arrive over several posts.
 */
export const settledTrace = async (
  receiver: OtlpReceiver,
  trace: RequestTrace,
  { quietMs, timeoutMs }: { quietMs: number; timeoutMs: number },
): Promise<readonly ReceivedSpan[]> => {
  const deadline = performance.now() + timeoutMs;
  let seen = -1;
  let stableSince = performance.now();
  for (;;) {
    const spans = receiver.trace(trace.traceId);
    const at = performance.now();
    if (spans.length !== seen) {
      seen = spans.length;
      stableSince = at;
    }
    const lacking = missing(trace, spans);
    if (lacking === undefined && at - stableSince >= quietMs) return [...spans];
    if (at > deadline) {
      const refused = receiver.refused();
      throw new Error(
        `trace ${trace.traceId} not whole after ${timeoutMs} ms: ${spans.length} spans, ` +
          `missing ${lacking ?? 'nothing (it kept changing)'}` +
          (refused.length > 0 ? `; the receiver refused exports: ${refused.join('; ')}` : ''),
      );
    }
    await sleep(20);
  }
};

/** What one request cost, from its spans. */
export interface RequestCost {
  /** Subgraph requests the gateway made, by subgraph. */
  readonly fetches: ReadonlyMap<string, number>;
  /** Read-model store operations, by `<service> <operation> <collection>`. */
  readonly storeOps: ReadonlyMap<string, number>;
  /** Entity references the subgraphs resolved (`<Type>.__resolveReference` spans). */
  readonly references: number;
  readonly spans: number;
}

const add = (counts: Map<string, number>, key: string) =>
  counts.set(key, (counts.get(key) ?? 0) + 1);

export const costOf = (spans: readonly ReceivedSpan[]): RequestCost => {
  const fetches = new Map<string, number>();
  const storeOps = new Map<string, number>();
  let references = 0;
  for (const span of spans) {
    if (span.name.endsWith('.__resolveReference')) references++;
    if (span.name === FETCH) add(fetches, String(span.attributes.service ?? '?'));
    // documents/traced-store.ts names each store span's operation and collection.
    const operation = span.attributes['db.operation.name'];
    if (operation !== undefined) {
      const collection = String(span.attributes['db.collection.name'] ?? '?');
      add(storeOps, `${shortService(span.service)} ${String(operation)} ${collection}`);
    }
  }
  return { fetches, storeOps, references, spans: spans.length };
};

/** The trace as an indented tree, for a person checking what was counted. */
export const renderTree = (spans: readonly ReceivedSpan[]): string => {
  const children = new Map<string | undefined, ReceivedSpan[]>();
  const ids = new Set(spans.map((span) => span.spanId));
  for (const span of spans) {
    const parent =
      span.parentSpanId !== undefined && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const span of children.get(parent) ?? []) {
      const service = span.name === FETCH ? ` -> ${String(span.attributes.service)}` : '';
      lines.push(`${'  '.repeat(depth)}${shortService(span.service)}: ${span.name}${service}`);
      walk(span.spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines.join('\n');
};
