import { developmentToken } from '@orderflow/stack';
import { fuzzInputs } from './fuzz/inputs';
import { streamMessages } from './support/orderflow';
import { startTestSystem, type TestSystem } from './support/system';

/**
 * A bounded fuzz of the public API: malformed bodies, variables, tokens, text with control
 * characters, huge values, deep and wide documents. Every input is invalid by construction, so
 * every answer must be a refusal with a code and a 4xx status, nothing may be written, and every
 * process must still be up at the end.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_202);
const COUNT = Number(process.env.FUZZ_COUNT ?? 1_000);
const STREAMS = ['ORDER', 'INVENTORY', 'PAYMENT', 'SHIPPING'];

describe('the API under a bounded fuzz', () => {
  let running: TestSystem;

  beforeAll(async () => {
    running = await startTestSystem({ GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000' });
    await running.admin.createProduct('FUZZ-1', 1000, 100);
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  });

  const eventCounts = async () =>
    Promise.all(STREAMS.map((stream) => streamMessages(running.system.natsAccess(), stream)));

  it(`refuses ${COUNT} malformed requests with a code, writes nothing, and stays up`, async () => {
    const before = await eventCounts();
    const problems: string[] = [];
    const inputs = fuzzInputs(SEED, COUNT, developmentToken('fuzzer'));

    for (const [n, input] of inputs.entries()) {
      const response = await fetch(running.system.gatewayUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(input.token ? { authorization: `Bearer ${input.token}` } : {}),
        },
        body: input.body,
      });
      const text = await response.text();
      let body: { data?: unknown; errors?: { extensions?: { code?: string } }[] } | undefined;
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        body = undefined;
      }
      const said = `#${n} ${input.label}: ${response.status} ${text.slice(0, 300)}`;
      if (response.status >= 500) problems.push(`server error: ${said}`);
      else if (!body?.errors?.length) problems.push(`not refused: ${said}`);
      else if (body.errors.some((error) => !error.extensions?.code)) {
        problems.push(`no code: ${said}`);
      } else if (body.errors.some((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR')) {
        problems.push(`internal error: ${said}`);
      }
    }
    console.log(`fuzz: tried ${inputs.length} malformed requests (seed ${SEED})`);

    expect(problems).toEqual([]);
    expect(await eventCounts()).toEqual(before);
    for (const service of Object.values(running.system.services)) {
      const ready = await fetch(service.url.replace('/graphql', '/health/ready'));
      expect(ready.status).toBe(200);
    }
  }, 300_000);
});
