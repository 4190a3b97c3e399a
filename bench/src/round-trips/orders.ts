import { graphqlData } from '@orderflow/stack';
import { createClient, type Client } from 'graphql-ws';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { orderInput, type BenchSystem } from '../bench-system';
import { atExit, wasInterrupted } from '../lifecycle';

/** How many lines the `number`th order of a profile has: `1`, `3`, or `2-3` (2 even, 3 odd). */
export const linesFor = (profile: string, number: number): number => {
  const [low, high = low] = profile.split('-').map(Number);
  return low! + (number % (high! - low! + 1));
};

/**
 * The `number`th order with exactly `lines` lines of different SKUs (orderInput chooses 1 or
 * `lines` by parity, and may pick one SKU twice), otherwise as orderInput makes it.
 */
export const fixedLinesInput = (number: number, skus: readonly string[], lines: number) => {
  if (lines > skus.length) throw new Error(`${lines} lines need at least ${lines} products`);
  return {
    ...orderInput(number, skus),
    lines: Array.from({ length: lines }, (_, line) => ({
      sku: skus[(number + line) % skus.length]!,
      quantity: 1,
    })),
  };
};

const PLACE_ORDER = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`;
const ORDER_STATUS = `query ($id: ID!) { order(id: $id) { status } }`;
const EVERY_ORDER = `subscription { orderStatusChanged { orderId status } }`;
const TERMINAL = new Set(['COMPLETED', 'CANCELLED']);

/**
 * Places orders and waits until each is COMPLETED or CANCELLED: seen on one admin
 * `orderStatusChanged` subscription, with a slow poll of the stragglers in case it missed one.
 */
export const orderPlacer = (bench: BenchSystem, skus: readonly string[], profile: string) => {
  const ended = new Map<string, string>();
  const ws: Client = createClient({
    url: bench.gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: bench.adminHeaders,
  });
  atExit('close the order subscription', async () => {
    await ws.dispose();
  });
  ws.subscribe<{ orderStatusChanged: { orderId: string; status: string } }>(
    { query: EVERY_ORDER },
    {
      next: ({ data }) => {
        const change = data?.orderStatusChanged;
        if (change !== undefined && TERMINAL.has(change.status)) {
          ended.set(change.orderId, change.status);
        }
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  let placed = 0;
  const cancelled = () => [...ended.values()].filter((status) => status === 'CANCELLED').length;

  const place = async (client: number): Promise<string> => {
    const number = placed++;
    const input = fixedLinesInput(number, skus, linesFor(profile, number));
    for (let attempt = 1; ; attempt++) {
      try {
        const { placeOrder } = await graphqlData<{ placeOrder: { id: string } }>(
          bench.gatewayUrl,
          PLACE_ORDER,
          { input },
          bench.customerHeaders(client),
        );
        return placeOrder.id;
      } catch (error) {
        // The same idempotency key: a retry never places a second order.
        if (attempt >= 3 || wasInterrupted()) throw error;
        await sleep(100 * attempt);
      }
    }
  };

  const waitEnded = async (ids: readonly string[], timeoutMs: number) => {
    const deadline = performance.now() + timeoutMs;
    for (let round = 1; !wasInterrupted(); round++) {
      const open = ids.filter((id) => !ended.has(id));
      if (open.length === 0) return;
      if (performance.now() > deadline) {
        throw new Error(`${open.length} orders not COMPLETED or CANCELLED after ${timeoutMs} ms`);
      }
      if (round % 40 === 0) {
        for (const id of open.slice(0, 20)) {
          const { order } = await graphqlData<{ order: { status: string } | null }>(
            bench.gatewayUrl,
            ORDER_STATUS,
            { id },
            bench.adminHeaders,
          );
          if (order !== null && TERMINAL.has(order.status)) ended.set(id, order.status);
        }
      }
      await sleep(50);
    }
  };

  return {
    placed: () => placed,
    cancelled,
    /** Places orders until `total` are placed, `clients` at a time, and waits for them to end. */
    placeUpTo: async (total: number, clients: number, timeoutMs: number) => {
      const ids: string[] = [];
      const worker = async (client: number) => {
        while (placed < total && !wasInterrupted()) ids.push(await place(client));
      };
      await Promise.all(Array.from({ length: clients }, (_, client) => worker(client)));
      await waitEnded(ids, timeoutMs);
    },
    close: () => ws.dispose(),
  };
};
