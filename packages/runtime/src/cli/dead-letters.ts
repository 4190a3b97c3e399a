#!/usr/bin/env node
import '@orderflow/auth/dist/node-version';
import { parseArgs } from 'node:util';
import { runCommand, UsageError } from '../command';
import { baseConfig, loadConfig, natsCredentialsPaired } from '../config';
import {
  discardDeadLetter,
  getDeadLetter,
  listDeadLetters,
  replayDeadLetter,
  type DeadLetter,
} from '../dead-letters';
import { connectNats, type Nats } from '../nats';

const usage = `usage: npm run deadletters -- <command>
  list [--durable <name>] [--after <seq>] [--limit <n>]   dead letters, oldest first
  show <seq>                                               one, with its original message
  replay <seq>                                             handle it again through its consumer
  discard <seq>                                            remove it for good
NATS_URL says where the system's NATS is (default nats://127.0.0.1:4222); NATS_USER and
NATS_PASSWORD (or NATS_PASSWORD_FILE) who connects: the operator user, on a bus with users.`;

const seqOf = (value: string | undefined): number => {
  const seq = Number(value);
  if (!Number.isInteger(seq) || seq < 1) {
    throw new UsageError(`expected a dead letter's sequence number, not ${value ?? 'nothing'}`);
  }
  return seq;
};

const row = (letter: DeadLetter) =>
  [
    String(letter.seq).padStart(6),
    letter.deadLetteredAt,
    letter.durable.padEnd(16),
    `${letter.source.subject}@${letter.source.seq}`.padEnd(52),
    `${letter.deliveries}x`.padStart(4),
    letter.error,
  ].join('  ');

/** Exit codes: 0 done, 1 nothing to act on or the replay failed, 2 a usage or setup mistake. */
const run = async (nats: Nats, command: string | undefined, args: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { durable: { type: 'string' }, after: { type: 'string' }, limit: { type: 'string' } },
  });
  switch (command) {
    case 'list': {
      const letters = await listDeadLetters(nats, {
        ...(values.durable === undefined ? {} : { durable: values.durable }),
        ...(values.after === undefined ? {} : { afterSeq: seqOf(values.after) }),
        limit: values.limit === undefined ? 100 : seqOf(values.limit),
      });
      console.log(letters.length === 0 ? 'no dead letters' : letters.map(row).join('\n'));
      return 0;
    }
    case 'show': {
      const letter = await getDeadLetter(nats, seqOf(positionals[0]));
      if (letter === undefined) {
        console.error(`there is no dead letter ${positionals[0]}`);
        return 1;
      }
      console.log(JSON.stringify({ ...letter, data: JSON.parse(letter.data) as unknown }, null, 2));
      return 0;
    }
    case 'replay': {
      const outcome = await replayDeadLetter(nats, seqOf(positionals[0]));
      console.log(outcome.replayed ? 'replayed' : `not replayed: ${outcome.reason}`);
      return outcome.replayed ? 0 : 1;
    }
    case 'discard': {
      const discarded = await discardDeadLetter(nats, seqOf(positionals[0]));
      console.log(discarded ? 'discarded' : `there is no dead letter ${positionals[0]}`);
      return discarded ? 0 : 1;
    }
    default:
      throw new UsageError(command === undefined ? 'no command' : `unknown command ${command}`);
  }
};

const main = async (): Promise<number> => {
  const [command, ...args] = process.argv.slice(2);
  const settings = loadConfig(
    baseConfig
      .pick({ NATS_URL: true, NATS_USER: true, NATS_PASSWORD: true })
      .superRefine(natsCredentialsPaired),
  );
  const nats = await connectNats(settings, 'orderflow-deadletters');
  try {
    return await run(nats, command, args);
  } finally {
    await nats.connection.close();
  }
};

runCommand(main, { failure: 'orderflow-deadletters failed', usage });
