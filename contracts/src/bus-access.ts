import type { Context } from './catalog';
import { streams, type StreamDefinition } from './subjects';

/** A durable consumer: the stream it reads and its name. */
export interface Durable {
  readonly stream: Context;
  readonly name: string;
}

/**
 * What one user of the bus may do. The log is the source of truth, so each context alone appends
 * to its stream; the rest read it. The deployment turns this into the bus's user permissions.
 */
export interface BusAccess {
  /** The contexts whose streams it creates and appends to. */
  readonly appends: readonly Context[];
  /** Streams it reads, with projections, loads and ordered consumers. */
  readonly reads: readonly Context[];
  /** Its durable consumers: it alone pulls, acknowledges and dead-letters their messages. */
  readonly durables: readonly Durable[];
  /** Lists, replays and discards every consumer's dead letters. */
  readonly operatesDeadLetters?: boolean;
  /** Reads the dead letters, and may do nothing else with them (`npm run story` shows them). */
  readonly readsDeadLetters?: boolean;
}

const contexts = Object.keys(streams) as Context[];

/** Every user of the bus: the services, outside producers, the auditor and the dead-letter operator. */
export const busUsers = {
  inventory: {
    appends: ['inventory'],
    reads: ['inventory', 'order'],
    durables: [{ stream: 'order', name: 'inventory-saga' }],
  },
  order: {
    appends: ['order'],
    reads: contexts,
    durables: [
      { stream: 'inventory', name: 'order-saga' },
      { stream: 'payment', name: 'order-payment' },
      { stream: 'shipping', name: 'order-shipping' },
    ],
    operatesDeadLetters: true,
  },
  payment: {
    appends: ['payment'],
    reads: ['payment', 'order'],
    durables: [{ stream: 'order', name: 'payment-saga' }],
  },
  shipping: {
    appends: ['shipping'],
    reads: ['shipping', 'order'],
    durables: [{ stream: 'order', name: 'shipping-saga' }],
  },
  analytics: { appends: ['analytics', 'clickstream'], reads: contexts, durables: [] },
  /** What reports clickstream and telemetry from outside: a shop front's back end, an app's. */
  producer: { appends: ['clickstream'], reads: [], durables: [] },
  auditor: { reads: contexts, appends: [], durables: [], readsDeadLetters: true },
  operator: { reads: [], appends: [], durables: [], operatesDeadLetters: true },
} as const satisfies Record<string, BusAccess>;

export type BusUser = keyof typeof busUsers;

/** Replies to a user come on inboxes of its own, so no other user can read them. */
export const inboxPrefixOf = (user: string) => `_INBOX_${user}`;

/** Where consumers put the messages they gave up on: one subject per durable consumer. */
export const deadLetterStream: StreamDefinition = {
  name: 'DEADLETTER',
  subjects: ['deadletter.>'],
};

export const DEAD_LETTER_PREFIX = 'deadletter.';
export const deadLetterSubject = (durable: string) => `${DEAD_LETTER_PREFIX}${durable}`;
/** Core NATS requests to a durable's runners: "handle dead letter N again". */
export const replaySubject = (durable: string) => `orderflow.deadletters.replay.${durable}`;
