import { GraphQLError } from 'graphql';

export interface SubscriptionLimits {
  /** Subscriptions one websocket connection may hold at once. */
  readonly perConnection: number;
  /** Subscriptions one customer may hold at once, over all their connections. */
  readonly perCustomer: number;
}

/**
 * Counts open subscriptions by connection and by customer: each one holds an upstream and, in
 * the subgraph, a JetStream consumer, so a client may not open them without end.
 */
export class SubscriptionQuota {
  private readonly byConnection = new Map<object, Set<string>>();
  private readonly byCustomer = new Map<string, number>();

  constructor(private readonly limits: SubscriptionLimits) {}

  /** Takes a place for subscription `id`, or says with SUBSCRIPTION_LIMIT why there is none. */
  take(connection: object, customer: string, id: string): GraphQLError | undefined {
    const open = this.byConnection.get(connection) ?? new Set<string>();
    if (open.size >= this.limits.perConnection) {
      return limit(`a connection may hold ${this.limits.perConnection} subscriptions at once`);
    }
    const customers = this.byCustomer.get(customer) ?? 0;
    if (customers >= this.limits.perCustomer) {
      return limit(`a customer may hold ${this.limits.perCustomer} subscriptions at once`);
    }
    open.add(id);
    this.byConnection.set(connection, open);
    this.byCustomer.set(customer, customers + 1);
    return undefined;
  }

  /** Gives back the place of subscription `id`; nothing when it held none. */
  release(connection: object, customer: string, id: string): void {
    if (!this.byConnection.get(connection)?.delete(id)) return;
    const left = (this.byCustomer.get(customer) ?? 1) - 1;
    if (left > 0) this.byCustomer.set(customer, left);
    else this.byCustomer.delete(customer);
  }

  /** The connection closed: every place it held is free. */
  releaseAll(connection: object, customer: string): void {
    for (const id of [...(this.byConnection.get(connection) ?? [])]) {
      this.release(connection, customer, id);
    }
    this.byConnection.delete(connection);
  }
}

const limit = (reason: string) =>
  new GraphQLError(`${reason}; close one before opening another`, {
    extensions: { code: 'SUBSCRIPTION_LIMIT' },
  });
