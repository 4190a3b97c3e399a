/**
 * Event replay: a recorded event log (fixtures/event-log.jsonl.gz, a few thousand events from a
 * few hundred orders down every saga path), replayed into a fresh NATS and projected by every
 * service's projections into fresh read models, gives the very read models the running system
 * derived from it (fixtures/read-models.json). Read models are a pure function of the log.
 *
 * Only the projections run: the log is published first, then each service's projections (as its
 * wiring declares them, with runProjection) catch up from an empty read model. Saga consumers
 * and pollers would not belong here: a replay rebuilds what is derived, it does not react again.
 *
 * When this fails because a projection's meaning changed on purpose (and its `version` was
 * bumped), re-derive the expected read models from the same log with the current projections,
 * `FIXTURE_READ_MODELS_ONLY=true npm run fixture:record`, and review the diff of
 * read-models.json: it should show that change and nothing else. When the events themselves
 * change (a new event, a new saga path), record a new log and read models with
 * `npm run fixture:record` (fixtures/record.ts).
 */
import { connectNats, type Nats } from '@orderflow/runtime';
import { startTestInfra, type TestInfra } from '@orderflow/stack';
import { join } from 'node:path';
import {
  eventStreams,
  projectInto,
  publishEventLog,
  readEventLog,
  readExpectedReadModels,
  readModelsIn,
  sagaOutcomes,
  type ReadModels,
  type StoredDocument,
} from './fixtures/event-replay';

/** What the fixture must at least hold, so that a shrunken recording is noticed. */
const minimums: Record<string, number> = {
  events: 2_000,
  orders: 200,
  COMPLETED: 100,
  OUT_OF_STOCK: 10,
  PAYMENT_DECLINED: 10,
  'CUSTOMER_CANCELLED before capture': 5,
  'CUSTOMER_CANCELLED after capture': 5,
  SHIPMENT_FAILED: 10,
  'shipment refused at dispatch': 5,
  'shipment lost in transit': 5,
  TIMED_OUT: 5,
};

const show = (value: unknown) => (value === undefined ? 'nothing' : JSON.stringify(value));

/** Where two JSON values differ, as `path: expected ..., got ...`. */
const fieldDifferences = (expected: unknown, actual: unknown, path: string): string[] => {
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null;
  if (isObject(expected) && isObject(actual) && Array.isArray(expected) === Array.isArray(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])];
    return keys.flatMap((key) => fieldDifferences(expected[key], actual[key], `${path}.${key}`));
  }
  return JSON.stringify(expected) === JSON.stringify(actual)
    ? []
    : [`${path}: expected ${show(expected)}, got ${show(actual)}`];
};

/** Every difference between two sets of read models, collection by collection, document by document. */
const differences = (expected: ReadModels, actual: ReadModels): string[] => {
  const found: string[] = [];
  for (const service of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const want = expected[service] ?? {};
    const got = actual[service] ?? {};
    for (const collection of new Set([...Object.keys(want), ...Object.keys(got)])) {
      const where = `${service}/${collection}`;
      if (!(collection in got)) {
        found.push(`${where}: missing (expected ${want[collection]!.length} documents)`);
        continue;
      }
      if (!(collection in want)) {
        found.push(`${where}: not expected, holds ${got[collection]!.length} documents`);
        continue;
      }
      const byId = (documents: StoredDocument[]) =>
        new Map(documents.map((document) => [document._id, document]));
      const wanted = byId(want[collection]!);
      const gotten = byId(got[collection]!);
      for (const [id, document] of wanted) {
        const replayed = gotten.get(id);
        if (replayed === undefined) found.push(`${where} ${id}: missing`);
        else found.push(...fieldDifferences(document, replayed, `${where} ${id}`));
      }
      for (const id of gotten.keys()) {
        if (!wanted.has(id)) found.push(`${where} ${id}: not expected`);
      }
    }
  }
  return found;
};

describe('replaying a recorded event log into a fresh system', () => {
  const log = readEventLog();
  let infra: TestInfra;
  let nats: Nats;

  beforeAll(async () => {
    infra = await startTestInfra();
    nats = await connectNats(infra.nats.access(), 'replay-test');
  }, 60_000);
  afterAll(async () => {
    await nats?.connection.close();
    await infra?.stop();
  });

  it('holds every saga path, and enough of each', () => {
    const outcomes = sagaOutcomes(log);
    const short = Object.entries(minimums)
      .filter(([outcome, minimum]) => (outcomes[outcome] ?? 0) < minimum)
      .map(([outcome, minimum]) => `${outcome}: ${outcomes[outcome] ?? 0} < ${minimum}`);
    expect(short).toEqual([]);
    expect(new Set(log.map((message) => message.stream))).toEqual(
      new Set(eventStreams.map((stream) => stream.name)),
    );
  });

  it('reproduces the recorded read models, document by document', async () => {
    await publishEventLog(nats, log);
    for (const stream of eventStreams) {
      const { state } = await nats.jsm.streams.info(stream.name);
      expect({ stream: stream.name, messages: state.messages }).toEqual({
        stream: stream.name,
        messages: log.filter((message) => message.stream === stream.name).length,
      });
    }

    const dir = join(infra.dir, 'read-models');
    await projectInto(nats, dir);

    const expected = readExpectedReadModels();
    const actual = readModelsIn(dir);
    const found = differences(expected, actual);
    expect(
      found.length > 50 ? [...found.slice(0, 50), `... ${found.length - 50} more`] : found,
    ).toEqual([]);
    // The comparison compared something: every service, every collection.
    expect(Object.keys(actual).sort()).toEqual(['inventory', 'order', 'payment', 'shipping']);
  }, 120_000);
});
