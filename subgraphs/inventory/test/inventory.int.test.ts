import {
  encodeEnvelope,
  streams,
  subjectOf,
  type DomainEvent,
  type Envelope,
} from '@orderflow/contracts';
import { randomId, startServiceAgainst, type RunningService } from '@orderflow/runtime';
import { provisionForeignStreams } from '@orderflow/runtime/testing';
import {
  bearer,
  developmentToken,
  graphql,
  graphqlData,
  startTestInfra,
  waitFor,
  type TestInfra,
} from '@orderflow/stack';
import { inventoryService } from '../src/service';

interface Product {
  sku: string;
  name: string;
  available: number;
  reserved: number;
}

const productFields = 'sku name price { amount currency } available reserved';

const orderCreated = (
  orderId: string,
  lines: { sku: string; quantity: number }[],
): Envelope<DomainEvent<'OrderCreated'>> => ({
  id: randomId(),
  type: 'OrderCreated',
  version: 1,
  occurredAt: new Date().toISOString(),
  aggregateId: orderId,
  aggregateVersion: 1,
  correlationId: orderId,
  causationId: randomId(),
  data: {
    orderId,
    customerId: 'customer-1',
    lines: lines.map((line) => ({ ...line, unitPrice: { amount: 1000, currency: 'USD' } })),
    total: { amount: 1000, currency: 'USD' },
    paymentMethod: 'pm_card_visa',
    shippingAddress: {
      name: 'Ada Lovelace',
      line1: '1 Analytical Way',
      city: 'London',
      postalCode: 'N1',
      country: 'GB',
    },
    placedAt: new Date().toISOString(),
  },
});

/** The inventory service alone on its own servers; the test plays the order service. */
const startInventory = async () => {
  const infra = await startTestInfra();
  await provisionForeignStreams(infra.nats.access(), [streams.order]);
  const service = await startServiceAgainst(inventoryService, {
    natsUrl: infra.nats.url,
    dataDir: infra.dir,
  });
  return { infra, service };
};

/** Catalog writes need the admin scope; the refusals of everyone else are unit tested. */
const admin = bearer(developmentToken('inventory-admin', { admin: true }));

describe('the inventory service on real servers', () => {
  let infra: TestInfra;
  let service: RunningService;
  let markers = 0;

  beforeAll(async () => {
    ({ infra, service } = await startInventory());
  });
  afterAll(async () => {
    await service?.stop();
    await infra?.stop();
  });

  const query = <T>(text: string, variables: Record<string, unknown> = {}) =>
    graphqlData<T>(service.url, text, variables, admin);

  const upsert = (sku: string, name = `Product ${sku}`) =>
    query<{ upsertProduct: Product }>(
      `mutation ($input: ProductInput!) { upsertProduct(input: $input) { ${productFields} } }`,
      { input: { sku, name, price: { amount: 1000, currency: 'USD' } } },
    );

  const restock = (sku: string, quantity: number) =>
    query<{ restock: Product }>(
      `mutation ($sku: ID!, $quantity: Int!) { restock(sku: $sku, quantity: $quantity) { ${productFields} } }`,
      { sku, quantity },
    );

  const readProduct = async (sku: string) =>
    (
      await query<{ product: Product | null }>(
        `query ($sku: ID!) { product(sku: $sku) { ${productFields} } }`,
        { sku },
      )
    ).product;

  const stocked = async (sku: string, quantity: number) => {
    await upsert(sku);
    await restock(sku, quantity);
  };

  const events = async (subject: string) =>
    (await service.infrastructure.store(streams.inventory).read(subject)).map((e) => e.envelope);

  const publish = async (event: Envelope, msgID = event.id) => {
    const subject = subjectOf(event.type, event.aggregateId);
    const ack = await service.infrastructure.nats.js.publish(subject, encodeEnvelope(event), {
      msgID,
    });
    return ack.seq;
  };

  /** Until the saga consumer has acknowledged the message at `seq`: its effects are stored. */
  const sagaHandled = (seq: number) =>
    waitFor(`the saga to handle ORDER message ${seq}`, async () => {
      const info = await service.infrastructure.nats.jsm.consumers.info(
        streams.order.name,
        'inventory-saga',
      );
      return info.ack_floor.stream_seq >= seq;
    });

  /**
   * Until the read model has applied every product event written so far. The projection applies
   * the log in order, so once a product created now is visible, everything before it is too.
   */
  const readModelCaughtUp = async () => {
    const marker = `MARKER-${++markers}`;
    await upsert(marker);
    await waitFor(
      `the read model to show ${marker}`,
      async () => (await readProduct(marker)) !== null,
    );
  };

  it('creates and restocks products, answering with what it just wrote', async () => {
    const created = await upsert('KB-1', 'Keyboard');
    const restocked = await restock('KB-1', 25);
    const renamed = await upsert('KB-1', 'Mechanical keyboard');

    expect(created.upsertProduct).toEqual({
      sku: 'KB-1',
      name: 'Keyboard',
      price: { amount: 1000, currency: 'USD' },
      available: 0,
      reserved: 0,
    });
    expect(restocked.restock).toMatchObject({ available: 25, reserved: 0 });
    expect(renamed.upsertProduct).toMatchObject({ name: 'Mechanical keyboard', available: 25 });
    await waitFor('the read model to show the product', async () => {
      const product = await readProduct('KB-1');
      return product?.name === 'Mechanical keyboard' && product.available === 25;
    });
  });

  it('refuses bad input with a code and a reason, and writes nothing', async () => {
    await upsert('BAD-1');
    const before = await events(subjectOf('ProductUpserted', 'BAD-1'));

    const refusals = await Promise.all([
      graphql(
        service.url,
        `
          mutation {
            restock(sku: "BAD-1", quantity: 0) {
              sku
            }
          }
        `,
        {},
        admin,
      ),
      graphql(
        service.url,
        `
          mutation {
            restock(sku: "NOPE", quantity: 1) {
              sku
            }
          }
        `,
        {},
        admin,
      ),
      graphql(
        service.url,
        `
          mutation {
            upsertProduct(input: { sku: "a.b", name: "x", price: { amount: 1, currency: "USD" } }) {
              sku
            }
          }
        `,
        {},
        admin,
      ),
      graphql(
        service.url,
        `
          mutation {
            upsertProduct(
              input: { sku: "BAD-1", name: "x", price: { amount: -1, currency: "usd" } }
            ) {
              sku
            }
          }
        `,
        {},
        admin,
      ),
      graphql(
        service.url,
        `
          {
            products(first: 101) {
              edges {
                cursor
              }
            }
          }
        `,
        {},
        admin,
      ),
      graphql(
        service.url,
        `
          {
            products(after: "not-a-cursor") {
              edges {
                cursor
              }
            }
          }
        `,
        {},
        admin,
      ),
    ]);

    expect(refusals.map((r) => r.errors?.[0]?.extensions?.code)).toEqual([
      'BAD_USER_INPUT',
      'NOT_FOUND',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
    ]);
    expect(refusals[0]?.errors?.[0]?.message).toMatch(/quantity must be a whole number from 1/);
    expect(refusals[3]?.errors?.[0]?.message).toMatch(
      /input\.price\.amount.*input\.price\.currency/,
    );
    expect(await events(subjectOf('ProductUpserted', 'BAD-1'))).toEqual(before);
  });

  it('refuses a product name that is not plain text, and writes nothing', async () => {
    const refused = await graphql(
      service.url,
      'mutation ($input: ProductInput!) { upsertProduct(input: $input) { sku } }',
      {
        input: {
          sku: 'BIDI-1',
          name: 'Cheap \u202egnp.exe',
          price: { amount: 1, currency: 'USD' },
        },
      },
      admin,
    );

    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.message).toMatch(/input\.name: must be plain text/);
    expect(await events(subjectOf('ProductUpserted', 'BIDI-1'))).toEqual([]);
  });

  it('pages through products in SKU order', async () => {
    for (const sku of ['PG-3', 'PG-1', 'PG-2']) await upsert(sku);
    await readModelCaughtUp();
    const page = `query ($after: String) {
      products(first: 2, after: $after) { edges { cursor node { sku } } pageInfo { hasNextPage endCursor } }
    }`;
    type Page = {
      products: {
        edges: { node: { sku: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    const skus: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const { products }: Page = await query<Page>(page, { after });
      skus.push(...products.edges.map((e) => e.node.sku));
      after = products.pageInfo.hasNextPage ? products.pageInfo.endCursor : null;
      pages++;
    } while (after !== null);

    expect(skus).toEqual([...skus].sort());
    expect(skus.filter((sku) => sku.startsWith('PG-'))).toEqual(['PG-1', 'PG-2', 'PG-3']);
    expect(pages).toBe(Math.ceil(skus.length / 2));
  });

  it('resolves references from other subgraphs, null for an unknown SKU', async () => {
    await stocked('REF-1', 3);
    await readModelCaughtUp();

    const { _entities } = await query<{ _entities: (Product | null)[] }>(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on Product { sku available } }
      }`,
      {
        representations: [
          { __typename: 'Product', sku: 'REF-1' },
          { __typename: 'Product', sku: 'REF-UNKNOWN' },
        ],
      },
    );

    expect(_entities).toEqual([{ sku: 'REF-1', available: 3 }, null]);
  });

  it('reserves an order once, however often its OrderCreated is delivered', async () => {
    await stocked('RS-A', 10);
    await stocked('RS-B', 5);
    const order = orderCreated('order-reserved', [
      { sku: 'RS-B', quantity: 2 },
      { sku: 'RS-A', quantity: 3 },
    ]);

    await sagaHandled(await publish(order));

    expect(await events(subjectOf('InventoryReserved', 'order-reserved'))).toMatchObject([
      {
        type: 'InventoryReserved',
        correlationId: 'order-reserved',
        causationId: order.id,
        data: {
          orderId: 'order-reserved',
          lines: [
            { sku: 'RS-A', quantity: 3 },
            { sku: 'RS-B', quantity: 2 },
          ],
        },
      },
    ]);
    await waitFor('the read model to show the reservation', async () => {
      const [a, b] = await Promise.all([readProduct('RS-A'), readProduct('RS-B')]);
      return a?.available === 7 && a.reserved === 3 && b?.available === 3 && b.reserved === 2;
    });
    const logBefore = await Promise.all(
      ['RS-A', 'RS-B'].map((sku) => events(subjectOf('StockReserved', sku))),
    );

    // The same envelope as a new message: what a redelivery or a duplicate publish looks like.
    await sagaHandled(await publish(order, `${order.id}-again`));
    await readModelCaughtUp();

    expect(await events(subjectOf('InventoryReserved', 'order-reserved'))).toHaveLength(1);
    expect(
      await Promise.all(['RS-A', 'RS-B'].map((sku) => events(subjectOf('StockReserved', sku)))),
    ).toEqual(logBefore);
    expect(await readProduct('RS-A')).toMatchObject({ available: 7, reserved: 3 });
    expect(await readProduct('RS-B')).toMatchObject({ available: 3, reserved: 2 });
  });

  it('refuses an order it cannot fill whole, and moves no stock', async () => {
    await stocked('OS-A', 10);
    await stocked('OS-B', 1);
    const order = orderCreated('order-short', [
      { sku: 'OS-A', quantity: 3 },
      { sku: 'OS-B', quantity: 2 },
    ]);

    await sagaHandled(await publish(order));
    await readModelCaughtUp();

    expect(await events(subjectOf('InventoryFailed', 'order-short'))).toMatchObject([
      {
        type: 'InventoryFailed',
        correlationId: 'order-short',
        causationId: order.id,
        data: {
          orderId: 'order-short',
          reason: 'OUT_OF_STOCK',
          sku: 'OS-B',
          requested: 2,
          available: 1,
        },
      },
    ]);
    expect(await readProduct('OS-A')).toMatchObject({ available: 10, reserved: 0 });
    expect(await readProduct('OS-B')).toMatchObject({ available: 1, reserved: 0 });
  });
});

describe('the inventory service’s readiness', () => {
  let infra: TestInfra;
  let service: RunningService;

  beforeAll(async () => {
    ({ infra, service } = await startInventory());
  });
  afterAll(async () => {
    await service?.stop();
    await infra?.stop();
  });

  const readiness = async () => {
    const response = await fetch(service.url.replace('/graphql', '/health/ready'));
    return {
      status: response.status,
      body: (await response.json()) as {
        problems?: string[];
        parts: { readers: { name: string; position: number; stalled: boolean }[] };
      },
    };
  };

  it('shows where each projection and consumer stands', async () => {
    const { status, body } = await readiness();
    expect(status).toBe(200);
    expect(body.parts.readers.map((reader) => reader.name).sort()).toEqual([
      'consumer inventory-saga',
      'projection products',
    ]);
    expect(body.parts.readers.every((reader) => !reader.stalled)).toBe(true);
  });

  it('is not ready, and says why, when its read-model store stops answering', async () => {
    await service.infrastructure.documents.close();

    const { status, body } = await readiness();
    expect(status).toBe(503);
    expect(body.problems?.join('\n')).toMatch(/read-model store does not answer/);
  });
});
