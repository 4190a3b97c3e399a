#!/usr/bin/env node
import '@orderflow/auth/dist/node-version';
import { parseArgs } from 'node:util';
import { OrderId } from '@orderflow/contracts';
import { baseConfig, natsCredentialsPaired, runCommand, UsageError } from '@orderflow/runtime';
import { connectToSystem } from '../connect';
import { eventStreams } from '../read-log';
import { formatStory } from './format-story';
import { readOrder } from './read-order';
import { tellStory } from './tell-story';

const usage = `usage: npm run -s story -- <orderId> [--json]
  The order's story from the event log, across every service, each cause before what it
  caused: when, how long after its cause, which consumer produced it, its trace id, and the
  dead letters on the way. --json: the same, for machines.
  It reads the system npm start runs (as the auditor user), or the NATS that NATS_URL,
  NATS_USER and NATS_PASSWORD (or NATS_PASSWORD_FILE) name.`;

const storyConfig = baseConfig
  .pick({ NATS_URL: true, NATS_USER: true, NATS_PASSWORD: true })
  .superRefine(natsCredentialsPaired);

const parse = (args: string[]) => {
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false } },
    });
    const [orderId, ...rest] = positionals;
    if (orderId === undefined) throw new UsageError('which order? give its id');
    if (rest.length > 0) throw new UsageError(`one order at a time, not ${rest.join(' ')} too`);
    if (!OrderId.safeParse(orderId).success) {
      throw new UsageError(`${orderId} is not an order id`);
    }
    return { orderId, json: values.json };
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError((error as Error).message);
  }
};

/** 0: told; 1: the log holds no such order; 2: a usage mistake, or no log to read. */
const main = async (): Promise<number> => {
  const { orderId, json } = parse(process.argv.slice(2));
  const { nats, where } = await connectToSystem(storyConfig, 'auditor', 'orderflow-story');
  try {
    const story = tellStory(orderId, await readOrder(nats, orderId));
    if (story === undefined) {
      console.error(
        `there is no order ${orderId}: ${eventStreams.join(', ')} hold no event of it, ` +
          `on ${where}`,
      );
      if (json) console.log(JSON.stringify({ orderId, found: false }));
      return 1;
    }
    console.log(json ? JSON.stringify({ found: true, ...story }, null, 2) : formatStory(story));
    return 0;
  } finally {
    await nats.connection.close();
  }
};

runCommand(main, { failure: 'orderflow-story could not read the log', usage });
