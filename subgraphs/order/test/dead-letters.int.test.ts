import { streams } from '@orderflow/contracts';
import { bearer, developmentToken, graphql, waitFor } from '@orderflow/stack';
import { startOrderHarness, type OrderHarness } from './support';

const LIST = `query ($durable: String) {
  deadLetters(durable: $durable) {
    seq durable error deliveries sourceStream sourceSubject sourceSeq message
  }
}`;
const SHOW = `query ($seq: ID!) { deadLetter(seq: $seq) { seq error message } }`;
const REPLAY = `mutation ($seq: ID!) { replayDeadLetter(seq: $seq) { replayed reason } }`;
const DISCARD = `mutation ($seq: ID!) { discardDeadLetter(seq: $seq) }`;

interface Letter {
  seq: string;
  durable: string;
  error: string;
  sourceStream: string;
  sourceSubject: string;
  message: string;
}

describe('dead letters through the order subgraph', () => {
  let harness: OrderHarness;
  const admin = bearer(developmentToken('ops', { admin: true }));
  const alice = bearer(developmentToken('alice'));

  const request = <T>(query: string, variables: Record<string, unknown>, headers = admin) =>
    graphql<T>(harness.service.url, query, variables, headers);

  beforeAll(async () => {
    harness = await startOrderHarness();
  });
  afterAll(() => harness?.stop());

  it('lists, shows, replays (still failing) and discards a poison message, for admins only', async () => {
    // Not JSON: the order's saga consumer dead-letters it at once.
    await harness.nats.js.publish('inventory.events.reservation.poison-1', 'not json');
    let letter: Letter | undefined;
    await waitFor('the poison message among the dead letters', async () => {
      const result = await request<{ deadLetters: Letter[] }>(LIST, { durable: 'order-saga' });
      letter = result.data?.deadLetters.find((each) => each.sourceSubject.endsWith('poison-1'));
      return letter !== undefined;
    });
    expect(letter).toMatchObject({
      durable: 'order-saga',
      error: 'message is not JSON',
      sourceStream: streams.inventory.name,
      message: 'not json',
    });
    const seq = letter!.seq;
    expect((await request(SHOW, { seq })).data).toEqual({
      deadLetter: { seq, error: 'message is not JSON', message: 'not json' },
    });

    for (const operation of [LIST, SHOW, REPLAY, DISCARD]) {
      const refused = await request(operation, { seq }, alice);
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await request(SHOW, { seq: 'latest' })).errors?.[0]?.extensions?.code).toBe(
      'BAD_USER_INPUT',
    );

    expect((await request(REPLAY, { seq })).data).toEqual({
      replayDeadLetter: { replayed: false, reason: 'it failed again: message is not JSON' },
    });
    expect((await request(DISCARD, { seq })).data).toEqual({ discardDeadLetter: true });
    expect((await request(DISCARD, { seq })).data).toEqual({ discardDeadLetter: false });
    expect((await request(SHOW, { seq })).data).toEqual({ deadLetter: null });
  });
});
