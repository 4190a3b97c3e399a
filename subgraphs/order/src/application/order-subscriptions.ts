import { DomainError, OrderId, type OrderStatus } from '@orderflow/contracts';
import { leavable, type Viewer } from '@orderflow/runtime';
import { historyOf, type StatusChange } from '../domain/history';
import { noSuchOrder } from '../domain/order';
import { mayAccess } from './order-access';
import type { FollowOrders, OrderRepository } from './ports';

export interface WatchOrders {
  readonly orderId?: string | null | undefined;
  /** Replay every change after this version first: a client that missed nothing since. */
  readonly sinceVersion?: number | null | undefined;
}

export type WatchOrderStatus = (
  request: WatchOrders,
  viewer: Viewer,
) => Promise<AsyncIterableIterator<StatusChange>>;

/**
 * Status changes as they happen. With `sinceVersion`, the order's log is read from its start and
 * the changes up to that version skipped, then the same ordered consumer goes on live: so nothing
 * is missed between the replay and the live part, and nothing arrives twice.
 */
export const watchOrderStatus =
  (orders: OrderRepository, follow: FollowOrders): WatchOrderStatus =>
  async ({ orderId, sinceVersion }, viewer) => {
    if (sinceVersion != null && (!Number.isInteger(sinceVersion) || sinceVersion < 0)) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `sinceVersion must be 0 or more, not ${sinceVersion}`,
      );
    }
    if (sinceVersion != null && orderId == null) {
      throw new DomainError('BAD_USER_INPUT', 'sinceVersion needs an orderId: it counts one order');
    }
    const visible = async (id: string) => {
      const { state } = await orders.load(id);
      return state !== null && mayAccess(viewer, state);
    };
    // An order's owner never changes: a feed of every order asks once per order, and an admin,
    // who may see them all, never (each event would otherwise cost a read of the order).
    const seen = new Map<string, boolean>();
    const visibleInFeed = async (id: string) => {
      if (viewer.admin) return true;
      const known = seen.get(id);
      if (known !== undefined) return known;
      const answer = await visible(id);
      seen.set(id, answer);
      return answer;
    };
    if (orderId != null && (!OrderId.safeParse(orderId).success || !(await visible(orderId)))) {
      throw noSuchOrder(orderId);
    }
    const feed = await follow(orderId ?? undefined, sinceVersion == null ? 'now' : 'start');
    const after = sinceVersion ?? 0;
    const lastStatus = new Map<string, OrderStatus>();

    /** The status before `version`, from the log when this feed has not seen the order yet. */
    const statusBefore = async (id: string, version: number) => {
      const known = lastStatus.get(id);
      if (known !== undefined) return known;
      // An order's first event has nothing before it: no need to read its log.
      if (version === 1) return null;
      const history = historyOf(await orders.events(id));
      return history.find((change) => change.version === version - 1)?.status ?? null;
    };

    const changes = (async function* () {
      try {
        for await (const event of feed) {
          const id = event.aggregateId;
          // An order's first event names its owner: a live feed reads no new order to learn it.
          if (event.type === 'OrderCreated') seen.set(id, mayAccess(viewer, event.data));
          if (orderId == null && !(await visibleInFeed(id))) continue;
          const [change] = historyOf([event]);
          const previousStatus = await statusBefore(id, event.aggregateVersion);
          lastStatus.set(id, change!.status);
          if (event.aggregateVersion <= after) continue;
          yield { ...change!, previousStatus };
        }
      } finally {
        await feed.close();
      }
    })();
    return leavable(changes, () => feed.close());
  };
