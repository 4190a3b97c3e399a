/**
 * bench:freshness — how long after an event is published the admin `metricsUpdated`
 * subscription, through the gateway, first shows it.
 * Usage: npm run bench:freshness -- [--events-per-second 20] [--seconds 20] [--warmup-seconds 2]
 */
import '@orderflow/auth/dist/node-version';
import { graphqlData } from '@orderflow/stack';
import { createClient } from 'graphql-ws';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { parseFlags, positiveNumber, UsageError, wholeNumber } from './args';
import {
  machineLine,
  progress,
  startBenchSystem,
  systemFlags,
  systemOptions,
} from './bench-system';
import { atExit, runScript, wasInterrupted } from './lifecycle';
import { count, figure, median, percentile, renderTable } from './stats';

const FLAGS = {
  ...systemFlags(),
  'events-per-second': {
    description: 'events published, one per ingestEvents call',
    default: '20',
  },
  seconds: { description: 'how long events are published and measured', default: '20' },
  'warmup-seconds': {
    description: 'events published first and not reported (0 for none)',
    default: '2',
  },
  'settle-seconds': {
    description: 'how long to wait after the last publish for the last updates',
    default: '10',
  },
};

/** subgraphs/analytics/src/application/metrics-updates.ts: the least time between two updates. */
const MIN_UPDATE_GAP_MS = 100;

const INGEST = `mutation ($events: [IngestedEventInput!]!) {
  ingestEvents(events: $events) { accepted rejected { message } }
}`;
const METRICS_UPDATED = `subscription ($window: MetricsWindow) {
  metricsUpdated(window: $window) { to telemetry { name count } }
}`;
const METRICS = `query ($window: MetricsWindow) {
  metrics(window: $window) { to telemetry { name count } }
}`;

interface Snapshot {
  readonly to: string;
  readonly telemetry: readonly { name: string; count: number }[];
}

/** Each event is the only one with its telemetry name: the name seen is the event seen. */
const nameOf = (event: number) => `bench_freshness_${event}`;
const NAME = /^bench_freshness_(\d+)$/;

interface Published {
  readonly due: number;
  readonly sent: number;
  acked?: number;
  failure?: string;
}

const now = () => performance.now();

const main = async () => {
  const flags = parseFlags(
    process.argv.slice(2),
    FLAGS,
    'usage: npm run bench:freshness -- [flags]',
  );
  const rate = positiveNumber('events-per-second', flags['events-per-second']);
  const seconds = wholeNumber('seconds', flags.seconds);
  const warmupSeconds = wholeNumber('warmup-seconds', flags['warmup-seconds'], 0);
  const settleMs = wholeNumber('settle-seconds', flags['settle-seconds']) * 1000;
  if (rate > 500) throw new UsageError('--events-per-second is at most 500');
  const warmupEvents = Math.round(warmupSeconds * rate);
  const total = warmupEvents + Math.round(seconds * rate);
  // Every event of the run stays inside the window (event time, last N minutes), whatever
  // minute boundaries the run crosses.
  const window = { minutes: Math.min(1_440, Math.ceil((warmupSeconds + seconds) / 60) + 2) };

  progress(
    `bench:freshness: ${figure(rate)} events/s for ${seconds} s after ${warmupSeconds} s warm-up; ${machineLine()}`,
  );
  const bench = await startBenchSystem(systemOptions('freshness', flags));
  if (bench === undefined) return;
  const { gatewayUrl, adminHeaders } = bench;

  const firstSeen = new Map<number, number>();
  const updates: { at: number; newEvents: number }[] = [];
  let problem: string | undefined;
  let subscribed: () => void = () => undefined;
  const live = new Promise<void>((resolve) => (subscribed = resolve));
  const ws = createClient({
    url: gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: adminHeaders,
  });
  atExit('close the subscription', async () => {
    await ws.dispose();
  });
  ws.subscribe<{ metricsUpdated: Snapshot }>(
    { query: METRICS_UPDATED, variables: { window } },
    {
      next: ({ data, errors }) => {
        // Timed before anything else: the arrival is what is measured.
        const at = now();
        if (errors !== undefined) problem = JSON.stringify(errors);
        if (data?.metricsUpdated === undefined) return;
        let newEvents = 0;
        for (const { name } of data.metricsUpdated.telemetry) {
          const event = NAME.exec(name)?.[1];
          if (event === undefined || firstSeen.has(Number(event))) continue;
          firstSeen.set(Number(event), at);
          newEvents++;
        }
        updates.push({ at, newEvents });
        subscribed();
      },
      error: (error) => {
        problem = error instanceof Error ? error.message : JSON.stringify(error);
        subscribed();
      },
      complete: () => {
        problem ??= 'the server completed the subscription';
        subscribed();
      },
    },
  );
  // The subscription's first snapshot comes at once: from then on, every change is pushed.
  await Promise.race([live, sleep(30_000)]);
  if (updates.length === 0) {
    throw new Error(`metricsUpdated sent no first snapshot${problem ? `: ${problem}` : ''}`);
  }
  if (wasInterrupted()) return;

  const headers = bench.customerHeaders(0);
  const published: Published[] = [];
  const publish = async (event: number, due: number) => {
    const sent = now();
    const record: Published = { due, sent };
    published[event] = record;
    const events = [
      {
        id: `freshness-${event}`,
        type: 'CLIENT_TELEMETRY',
        occurredAt: new Date().toISOString(),
        sessionId: 'bench-freshness',
        name: nameOf(event),
        value: event,
      },
    ];
    try {
      const { ingestEvents } = await graphqlData<{
        ingestEvents: { accepted: number; rejected: { message: string }[] };
      }>(gatewayUrl, INGEST, { events }, headers);
      record.acked = now();
      if (ingestEvents.accepted !== 1) {
        record.failure = `refused: ${ingestEvents.rejected.map((r) => r.message).join('; ')}`;
      }
    } catch (error) {
      record.failure = error instanceof Error ? error.message : String(error);
    }
  };

  progress(`publishing ${count(total)} events (${count(warmupEvents)} warm-up)…`);
  const updatesBefore = updates.length;
  const sends: Promise<void>[] = [];
  const start = now();
  // An open loop: each event leaves on its schedule, whether or not the ones before returned.
  for (let event = 0; event < total && !wasInterrupted(); event++) {
    const due = start + (event * 1000) / rate;
    const wait = due - now();
    if (wait > 0) await sleep(wait);
    sends.push(publish(event, due));
    if (event === warmupEvents && warmupEvents > 0) progress('warm-up done; measuring…');
  }
  await Promise.all(sends);
  const lastPublish = now();
  const expected = published.filter((p) => p.failure === undefined).length;
  while (firstSeen.size < expected && now() - lastPublish < settleMs && !wasInterrupted()) {
    await sleep(20);
  }
  if (wasInterrupted()) return;

  // What one snapshot costs, read the same way over HTTP: the part of freshness after the poll.
  const snapshotTimes: number[] = [];
  for (let i = 0; i < 10; i++) {
    const before = now();
    await graphqlData(gatewayUrl, METRICS, { window }, adminHeaders);
    snapshotTimes.push(now() - before);
  }

  const measured = published.slice(warmupEvents);
  const failed = measured.filter((p) => p.failure !== undefined);
  const fromAck: number[] = [];
  const fromSend: number[] = [];
  const ackTimes: number[] = [];
  let unseen = 0;
  let seenBeforeAck = 0;
  measured.forEach((p, i) => {
    if (p.failure !== undefined || p.acked === undefined) return;
    ackTimes.push(p.acked - p.sent);
    const seen = firstSeen.get(warmupEvents + i);
    if (seen === undefined) {
      unseen++;
      return;
    }
    fromAck.push(seen - p.acked);
    fromSend.push(seen - p.sent);
    if (seen < p.acked) seenBeforeAck++;
  });
  const lateStarts = measured.filter((p) => p.sent - p.due > 50).length;
  const measuredFrom = measured[0]?.sent ?? lastPublish;
  const runUpdates = updates
    .slice(updatesBefore)
    .filter((u) => u.at >= measuredFrom && u.at <= lastPublish);
  const gaps = runUpdates.slice(1).map((u, i) => u.at - runUpdates[i]!.at);
  const carrying = runUpdates.filter((u) => u.newEvents > 0);

  const row = (label: string, samples: readonly number[]) => [
    label,
    count(samples.length),
    figure(percentile(samples, 0.5)),
    figure(percentile(samples, 0.9)),
    figure(percentile(samples, 0.99)),
    figure(Math.max(...samples)),
  ];
  const lines = [
    '',
    `Analytics freshness through the gateway: ${figure(rate)} events/s for ${seconds} s (after ${warmupSeconds} s warm-up), one ingestEvents call each.`,
    'Method: one admin metricsUpdated(window) subscription over graphql-ws; each event is a CLIENT_TELEMETRY report',
    'with a telemetry name of its own, so the first snapshot whose telemetry lists that name is the first to reflect',
    'that one event (no counting, no ordering assumption). Publish = the ingestEvents call returned (the CLICKSTREAM',
    'publish was acknowledged by JetStream); freshness = that snapshot arriving at this client minus the publish.',
    'Path: CLICKSTREAM -> the analytics-clickstream projection (it commits once its backlog is empty, at most every 25 ms) -> the',
    "subscription, which the service wakes after the projection's commit and which then reads a whole snapshot, at most",
    `one update per ${MIN_UPDATE_GAP_MS} ms (MIN_UPDATE_GAP_MS in analytics' metrics-updates.ts) -> analytics subgraph -> gateway -> this client.`,
    `Window: the last ${window.minutes} minutes of event time, wide enough to hold every event of the run. ${machineLine()}.`,
    '',
    renderTable(
      ['ms', 'events', 'p50', 'p90', 'p99', 'max'],
      [
        row('publish -> first snapshot showing it', fromAck),
        row('sent -> first snapshot showing it', fromSend),
        row('ingestEvents call (sent -> returned)', ackTimes),
      ],
    ),
    `updates pushed while measuring: ${count(runUpdates.length)}, ${count(carrying.length)} with new events ` +
      `(${figure(carrying.length === 0 ? Number.NaN : fromAck.length / carrying.length)} events each on average); ` +
      `between updates: median ${figure(median(gaps))} ms, min ${figure(Math.min(...gaps))} ms`,
    `one metrics(window) snapshot over HTTP through the gateway, afterwards: median ${figure(median(snapshotTimes))} ms of 10`,
    `events not seen within ${settleMs / 1000} s: ${count(unseen)}; seen before their call returned: ${count(seenBeforeAck)}; ` +
      `failed calls: ${count(failed.length)}${failed[0] ? ` (${failed[0].failure})` : ''}; ` +
      `sent > 50 ms behind schedule: ${count(lateStarts)}` +
      (problem === undefined ? '' : `; subscription: ${problem}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
};

runScript(main);
