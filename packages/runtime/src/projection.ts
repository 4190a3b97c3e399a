import { DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import {
  ContractViolation,
  decodeMessage,
  NewerSchemaVersion,
  type Envelope,
} from '@orderflow/contracts';
import type {
  CollectionSpec,
  DocumentChange,
  DocumentStore,
  ProjectedEvent,
} from './documents/document-store';
import type { Logger } from './log';
import { counter } from './metrics';
import { onReconnect, type Nats } from './nats';
import { lastSequenceOn, watchProgress, type Progress } from './progress';
import { supervise } from './supervise';

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
  /** What the event changes in the read model; pure, but for the state `resume` restores. */
  project(event: Envelope): readonly DocumentChange[];
  /**
   * For a projection that folds state across events (windows, joins of one order's events):
   * reloads that state from its collections before each feed starts, at a start and after a
   * failed commit. `project` writes the state with the changes, so what is stored is always the
   * state as of the checkpoint.
   */
  resume?(store: DocumentStore): Promise<void>;
  /**
   * What a message that breaks the contract changes, when a projection counts them (one fed by
   * outside producers); such a message is skipped either way. A message from a newer producer
   * (`NewerSchemaVersion`) is not: the projection holds before it until it is upgraded.
   */
  rejected?(violation: ContractViolation): readonly DocumentChange[];
}

export interface ProjectionOptions {
  /** Empty the read model and replay the whole log, whatever the checkpoint says. */
  readonly rebuild?: boolean;
  /** How long events may wait on the stream with no progress before the feed is renewed. */
  readonly stallMs?: number;
  /** How long a received event may wait for more before it is committed alone. */
  readonly lingerMs?: number;
  /**
   * The least time between two commits: changes that arrive sooner wait for the rest of it and
   * are stored together. Under load events arrive one by one, and a transaction per event costs
   * far more than one per several (its pages, its checkpoint, its system calls).
   */
  readonly commitIntervalMs?: number;
  /**
   * How long events that change nothing may wait before the checkpoint is written past them. Most
   * projections pass over most events of their stream; writing a transaction for each of those
   * would cost as much as one that stores something.
   */
  readonly idleCheckpointMs?: number;
  /** Told of each batch of events once their changes are stored (a poller waking on them). */
  readonly onStored?: (events: readonly Envelope[]) => void;
}

export interface RunningProjection {
  /** The stream sequence of the last event whose changes are stored. */
  position(): number;
  /** Where it stands against its stream, and whether it is stuck. */
  progress(): Progress;
  /** Settles when the projection ends: after stop(). */
  readonly finished: Promise<void>;
  stop(): Promise<void>;
}

const MAX_BATCH = 500;

const commits = counter({
  name: 'orderflow_projection_commits_total',
  help: 'Read-model transactions written by each projection (with its checkpoint)',
  labelNames: ['projection'],
});

/** The projection holds before an event this code is too old to read. */
class WaitingForUpgrade extends Error {
  constructor(
    readonly seq: number,
    override readonly cause: NewerSchemaVersion,
  ) {
    super(`waiting for an upgrade: ${cause.message} (event ${seq})`);
  }
}

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
 *
 * The feed (an ordered consumer) is supervised: when it ends or fails, or when the stream holds
 * events past the checkpoint and none has been stored for `stallMs`, it is renewed from the
 * checkpoint. A NATS restart, a deleted consumer or a failed commit therefore cost a resubscribe,
 * never a silent freeze.
 *
 * An event written by a newer version of its producer is neither skipped nor applied: the events
 * before it are committed, the projection holds at the checkpoint just before it (applying nothing
 * after it, so nothing out of order), reports "waiting for an upgrade" in `progress().error`, and
 * tries again from the checkpoint with the supervisor's backoff until an upgraded process reads it.
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
  const identity = { name: spec.name, version: spec.version };
  const lingerMs = options.lingerMs ?? 20;
  const commitIntervalMs = options.commitIntervalMs ?? 25;
  const idleCheckpointMs = options.idleCheckpointMs ?? 1_000;

  const readMessage = (message: JsMsg): { event?: Envelope; changes: DocumentChange[] } => {
    try {
      const event = decodeMessage(message.data);
      return { event, changes: [...spec.project(event)] };
    } catch (error) {
      // An event from a newer producer is not broken: the projection waits for its upgrade.
      if (error instanceof NewerSchemaVersion) throw error;
      // The log is append-only: a message that breaks the contract is skipped, loudly, not fatal.
      if (!(error instanceof ContractViolation)) throw error;
      projectionLog.warn('skipped a message that breaks the contract', { seq: message.seq, error });
      return { changes: [...(spec.rejected?.(error) ?? [])] };
    }
  };

  let batch: ProjectedEvent[] = [];
  let batchEvents: Envelope[] = [];
  /** Whether `batch` holds a change: until it does, its events are passed over, not pending. */
  let batchChanges = false;
  let committing = Promise.resolve();
  let linger: NodeJS.Timeout | undefined;
  let idleCheckpoint: NodeJS.Timeout | undefined;
  let lastCommitAt = 0;
  const commitNow = async () => {
    clearTimeout(linger);
    clearTimeout(idleCheckpoint);
    idleCheckpoint = undefined;
    const events = batch;
    const stored = batchEvents;
    batch = [];
    batchEvents = [];
    batchChanges = false;
    if (events.length === 0) return;
    await store.commit(identity, events);
    lastCommitAt = Date.now();
    commits.inc({ projection: spec.name });
    position = Math.max(position, events.at(-1)!.seq);
    watch.advanced();
    options.onStored?.(stored);
  };
  // One commit at a time, in order, whether the loop or the linger timer asks for it.
  const commit = () => {
    const next = committing.then(commitNow);
    committing = next.catch(() => undefined);
    return next;
  };
  const commitLingering = () =>
    commit().catch((error: unknown) => {
      watch.failed(error);
      projectionLog.error('a commit failed; resubscribing from the checkpoint', { error });
      messages?.stop();
    });

  let messages: ConsumerMessages | undefined;
  let stopped = false;
  const watch = watchProgress({
    name: `projection ${spec.name}`,
    log: projectionLog,
    stallMs: options.stallMs ?? 5_000,
    position: () => position,
    behind: async () => (await lastSequenceOn(nats, spec.stream, spec.filterSubject)) - position,
    // Ending the feed makes the loop below resubscribe from the checkpoint.
    renew: () => messages?.stop(),
  });

  const stopRenewingOnReconnect = onReconnect(nats, () => {
    projectionLog.info('NATS reconnected; resubscribing from the checkpoint', { position });
    messages?.stop();
  });

  const follow = async () => {
    await spec.resume?.(store);
    const from = position + 1;
    const consumer = await nats.js.consumers.get(spec.stream, {
      filter_subjects: spec.filterSubject,
      ...(from > 1
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from }
        : { deliver_policy: DeliverPolicy.All }),
    });
    messages = await consumer.consume({ max_messages: MAX_BATCH });
    if (stopped) await messages.close();
    projectionLog.info('projecting', { from });
    for await (const message of messages) {
      if (message.seq <= position) continue;
      let read: ReturnType<typeof readMessage>;
      try {
        read = readMessage(message);
      } catch (error) {
        if (!(error instanceof NewerSchemaVersion)) throw error;
        // Keep what came before it, then hold: the supervisor resubscribes from the checkpoint.
        messages.stop();
        await commit();
        throw new WaitingForUpgrade(message.seq, error);
      }
      batch.push({ changes: read.changes, seq: message.seq });
      if (read.event !== undefined && options.onStored !== undefined) batchEvents.push(read.event);
      batchChanges ||= read.changes.length > 0;
      if (!batchChanges) {
        // Nothing waits to be stored up to here: the projection is past this event already. The
        // checkpoint follows with the next change, or within idleCheckpointMs; a restart before
        // then reads these events again and changes nothing again.
        position = message.seq;
        watch.advanced();
        if (batch.length >= MAX_BATCH) await commit();
        else idleCheckpoint ??= setTimeout(() => void commitLingering(), idleCheckpointMs);
        continue;
      }
      // Write when the batch is full, or the backlog is drained and the last commit is not too
      // recent: one transaction per burst, at most one per interval; and never leave a received
      // change waiting for more than a moment.
      const sinceCommit = Date.now() - lastCommitAt;
      const drained = message.info.pending === 0;
      if (batch.length >= MAX_BATCH || (drained && sinceCommit >= commitIntervalMs)) {
        await commit();
      } else {
        clearTimeout(linger);
        const wait = drained ? commitIntervalMs - sinceCommit : lingerMs;
        linger = setTimeout(() => void commitLingering(), wait);
      }
    }
  };

  const loop = (async () => {
    await supervise(
      async () => {
        await follow();
        await commit();
      },
      (error) => {
        clearTimeout(linger);
        clearTimeout(idleCheckpoint);
        idleCheckpoint = undefined;
        batch = [];
        batchEvents = [];
        batchChanges = false;
        watch.failed(error);
        if (error instanceof WaitingForUpgrade) {
          projectionLog.warn(`${error.message}; upgrade this service`, {
            seq: error.seq,
            type: error.cause.type,
            version: error.cause.version,
            known: error.cause.known,
            position,
          });
          return;
        }
        projectionLog.error('the projection failed; resubscribing from its checkpoint', {
          error,
          position,
        });
      },
      () => stopped,
    );
    clearTimeout(linger);
    clearTimeout(idleCheckpoint);
  })();

  return {
    position: () => position,
    progress: () => watch.progress(),
    finished: loop,
    stop: async () => {
      stopped = true;
      watch.stop();
      stopRenewingOnReconnect();
      await messages?.close();
      await loop;
    },
  };
};
