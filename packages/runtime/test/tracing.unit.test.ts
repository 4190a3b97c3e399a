import {
  natsTraceHeaders,
  traceContextFrom,
  traceHeaders,
  tracingConfigured,
} from '../src/tracing';
import { propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

describe('tracing, configured by the standard OTEL_* variables', () => {
  it('is on only when an OTLP endpoint is named, and not disabled', () => {
    expect(tracingConfigured({})).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c/v1/traces' })).toBe(
      true,
    );
    expect(
      tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_SDK_DISABLED: 'true' }),
    ).toBe(false);
    expect(
      tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_TRACES_EXPORTER: 'none' }),
    ).toBe(false);
  });

  it('puts nothing on the wire while nothing is traced', () => {
    expect(traceHeaders()).toEqual({});
    expect(natsTraceHeaders()).toBeUndefined();
  });

  it('reads a W3C traceparent as the parent of what follows', () => {
    // What startTracing's provider registers.
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const parent = traceContextFrom((name) =>
      name === 'traceparent'
        ? '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
        : undefined,
    );
    expect(trace.getSpanContext(parent)).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
    });
  });
});
