import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ContractViolation,
  decodeMessage,
  matchesFilter,
  type Envelope,
} from '@orderflow/contracts';
import type { ConsumerSpec, DocumentStore, ProjectionSpec } from '@orderflow/runtime';
import { Matchers, PactV4 } from '@pact-foundation/pact';
import { envelopeShape, filterPattern } from './message-shape';
import { pactDirectory, pactFileName } from './pact-files';

/** A message as the consumer receives it from the bus: its subject and its bytes. */
export interface ReceivedMessage {
  readonly subject: string;
  readonly data: Uint8Array;
}

export interface MessageExpectation {
  /** The provider's situation in which it publishes this message: its provider state. */
  readonly given: string;
  /** What the message is, unique within the pact. */
  readonly description: string;
  /** The contract's example: the consumer's own idea of the event, in the version it reads. */
  readonly example: Envelope;
  /** The subject the example arrives on. */
  readonly subject: string;
  /**
   * The filter of the reader this message is for, when it is narrower than the pact's: one pact
   * may serve several readers of a stream, each on its own aggregate type.
   */
  readonly filter?: string;
}

export interface MessagePact extends PactUnderTest {
  /**
   * Adds the message to the contract and runs `receive`, the consumer's real handling, on the
   * example the contract generates: with the subject and bytes a subscriber would get.
   */
  expect(
    expectation: MessageExpectation,
    receive: (message: ReceivedMessage) => Promise<void>,
  ): Promise<void>;
}

/** A pact as a consumer's tests write it: in a temporary directory, checked against the committed one. */
export interface PactUnderTest {
  /** The directory to hand Pact (`PactV4`'s `dir`). */
  readonly dir: string;
  /** The pact file these tests write there. */
  readonly file: string;
  /**
   * Compares the pact these tests wrote with the committed one. With `PACT_UPDATE=true`
   * (`npm run pacts:update`) it writes the committed one instead.
   */
  checkCommitted(): void;
}

export const pactUnderTest = (consumer: string, provider: string): PactUnderTest => {
  const dir = mkdtempSync(join(tmpdir(), 'orderflow-pact-'));
  const name = pactFileName(consumer, provider);
  return {
    dir,
    file: join(dir, name),
    checkCommitted() {
      const generated = readFileSync(join(dir, name), 'utf8');
      const committed = join(pactDirectory, name);
      rmSync(dir, { recursive: true, force: true });
      if (process.env.PACT_UPDATE === 'true') {
        mkdirSync(pactDirectory, { recursive: true });
        writeFileSync(committed, generated);
        return;
      }
      const current = existsSync(committed) ? readFileSync(committed, 'utf8') : undefined;
      if (current !== generated) {
        throw new Error(
          `contracts/pacts/${name} is not what ${consumer}'s pact tests generate: ` +
            'if the change to the contract is meant, run `npm run pacts:update` and commit the pact ' +
            `(then ${provider}'s verification says whether it can honour it)`,
        );
      }
    },
  };
};

/**
 * The consumer half of one consumer-provider edge of the bus. `filter` is the subject filter the
 * consumer reads with (unless an expectation names its own): the contract pins the subject to it.
 */
export const messagePact = (consumer: string, provider: string, filter: string): MessagePact => {
  const written = pactUnderTest(consumer, provider);
  const pact = new PactV4({ consumer, provider, dir: written.dir, logLevel: 'warn' });
  return {
    ...written,
    async expect(expectation, receive) {
      await pact
        .addAsynchronousInteraction()
        .given(expectation.given)
        .expectsToReceive(expectation.description, (message) =>
          message.withJSONContent(envelopeShape(expectation.example)).withMetadata({
            subject: Matchers.regex(
              filterPattern(expectation.filter ?? filter),
              expectation.subject,
            ),
            schemaVersion: String(expectation.example.version),
          }),
        )
        .executeTest(async (message) => {
          const subject = message.metadata.subject;
          if (typeof subject !== 'string') throw new Error('the message has no subject');
          const data = new TextEncoder().encode(JSON.stringify(message.contents.content));
          await receive({ subject, data });
        });
    },
  };
};

const decodeOn = (filter: string, message: ReceivedMessage): Envelope => {
  if (!matchesFilter(filter, message.subject)) {
    throw new ContractViolation(
      `${message.subject} is not on ${filter}: the consumer never gets it`,
    );
  }
  return decodeMessage(message.data);
};

/** Delivers the message the way `runConsumer` does: decoded, then to the durable's handler. */
export const deliverTo =
  (spec: ConsumerSpec) =>
  async (message: ReceivedMessage): Promise<void> => {
    await spec.handle(decodeOn(spec.filterSubject, message), { seq: 1, deliveryCount: 1 });
  };

/**
 * Feeds the message to a projection the way `runProjection` does: decoded, projected and
 * committed with its checkpoint into `store`, whose read model the test then reads.
 */
export const projectInto = (spec: ProjectionSpec, store: DocumentStore) => {
  let seq = 0;
  return async (message: ReceivedMessage): Promise<void> => {
    const event = decodeOn(spec.filterSubject, message);
    for (const collection of spec.collections) await store.prepare(collection);
    await spec.resume?.(store);
    seq += 1;
    await store.commit({ name: spec.name, version: spec.version }, [
      { seq, changes: spec.project(event) },
    ]);
  };
};
