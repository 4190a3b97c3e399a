import { DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { ContractViolation, decodeMessage, type Envelope } from '@orderflow/contracts';
import type {
  CollectionSpec,
  DocumentChange,
  DocumentStore,
  ProjectedEvent,
} from './documents/document-store';
import type { Logger } from './log';
import type { Nats } from './nats';

export interface ProjectionSpec {
  readonly name: string;
  /**
   * The read model's shape: bump it when `project` or the collections change meaning, and the
   * next start rebuilds the read model from the log instead of catching up.
   */
  readonly version: number;
  readonly stream: string;
  readonly filterSubject: string;
  /** The collections it alone writes, with the indexes their queries need. */
  readonly collections: readonly CollectionSpec[];
  /** Pure: what the event changes in the read model. */
  project(event: Envelope): readonly DocumentChange[];
}

export interface ProjectionOptions {
  /** Empty the read model and replay the whole log, whatever the checkpoint says. */
  readonly rebuild?: boolean;
}

export interface RunningProjection {
  /** The stream sequence of the last event whose changes are stored. */
  position(): number;
  /** Settles when the projection ends: resolves after stop(), rejects if it failed. */
  readonly finished: Promise<void>;
  stop(): Promise<void>;
}

const MAX_BATCH = 500;

/**
 * Why a start must rebuild rather than catch up, or undefined to go on from the checkpoint. A
 * checkpoint past the stream's end means the log was replaced (a new NATS store): the read model
 * describes events that no longer exist.
 */
const rebuildReason = (
  spec: ProjectionSpec,
  checkpoint: { seq: number; version: number } | undefined,
  streamEnd: number,
  asked: boolean,
): string | undefined => {
  if (asked) return 'a rebuild was asked for';
  if (checkpoint === undefined) return undefined;
  if (checkpoint.version !== spec.version) {
    return `the read model changed from version ${checkpoint.version} to ${spec.version}`;
  }
  if (checkpoint.seq > streamEnd) {
    return `its checkpoint ${checkpoint.seq} is past the end of ${spec.stream} (${streamEnd})`;
  }
  return undefined;
};

/**
 * Keeps a read model up to date with a stream. Each batch of events is committed with the
 * checkpoint in one transaction, so a start resumes exactly after the last stored event; and
 * since every change is also guarded by its event's sequence, a replay changes nothing.
 */
export const runProjection = async (
  nats: Nats,
  store: DocumentStore,
  spec: ProjectionSpec,
  log: Logger,
  options: ProjectionOptions = {},
): Promise<RunningProjection> => {
  const projectionLog = log.child({ projection: spec.name });
  for (const collection of spec.collections) await store.prepare(collection);
  const streamEnd = (await nats.jsm.streams.info(spec.stream)).state.last_seq;
  const checkpoint = await store.checkpoint(spec.name);
  const reason = rebuildReason(spec, checkpoint, streamEnd, options.rebuild ?? false);
  if (reason !== undefined) {
    projectionLog.info('rebuilding from the log', { reason });
    await store.reset(
      spec.name,
      spec.collections.map((collection) => collection.name),
    );
  }
  let position = reason === undefined ? (checkpoint?.seq ?? 0) : 0;
  const consumer = await nats.js.consumers.get(spec.stream, {
    filter_subjects: spec.filterSubject,
    ...(position > 0
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: position + 1 }
      : { deliver_policy: DeliverPolicy.All }),
  });
  const identity = { name: spec.name, version: spec.version };

  const changesOf = (message: JsMsg): DocumentChange[] => {
    try {
      return [...spec.project(decodeMessage(message.data))];
    } catch (error) {
      // The log is append-only: a message that breaks the contract is skipped, loudly, not fatal.
      if (!(error instanceof ContractViolation)) throw error;
      projectionLog.warn('skipped a message that breaks the contract', { seq: message.seq, error });
      return [];
    }
  };

  let messages: ConsumerMessages | undefined;
  const loop = (async () => {
    messages = await consumer.consume({ max_messages: MAX_BATCH });
    let batch: ProjectedEvent[] = [];
    for await (const message of messages) {
      batch.push({ changes: changesOf(message), seq: message.seq });
      // Write when the backlog is drained or the batch is full: one transaction per burst.
      if (message.info.pending === 0 || batch.length >= MAX_BATCH) {
        await store.commit(identity, batch);
        position = batch.at(-1)!.seq;
        batch = [];
      }
    }
  })();
  projectionLog.info('projecting', { from: position + 1 });

  return {
    position: () => position,
    finished: loop,
    stop: async () => {
      await messages?.close();
      await loop;
    },
  };
};
