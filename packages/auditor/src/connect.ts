import { connectNats, loadConfig, type Nats, type NatsSettings } from '@orderflow/runtime';
import { discoverSystem, type ToolUser } from '@orderflow/stack';
import type { z } from 'zod';

export interface Connected<Config> {
  readonly config: Config;
  readonly nats: Nats;
  /** `NATS at <url> (<where the URL came from>)`, for the command's messages. */
  readonly where: string;
}

/**
 * An operator command's settings and connection: what its environment says, else the system
 * `npm start` runs and recorded in the data directory, as `user`. A failure to connect says
 * where it tried and why it tried there, which is what a person needs to fix it.
 */
export const connectToSystem = async <S extends z.ZodType<NatsSettings>>(
  schema: S,
  user: ToolUser,
  name: string,
): Promise<Connected<z.infer<S>>> => {
  const discovery = discoverSystem(process.env, user);
  const config = loadConfig(schema, discovery.env);
  const where = `NATS at ${config.NATS_URL} (${discovery.natsSource})`;
  try {
    return { config, nats: await connectNats(config, name), where };
  } catch (error) {
    const as = config.NATS_USER === undefined ? '' : ` as ${config.NATS_USER}`;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `could not connect to ${where}${as}: ${reason}. Start the system with npm start, or set ` +
        'NATS_URL (and NATS_USER, NATS_PASSWORD or NATS_PASSWORD_FILE) to reach its NATS',
    );
  }
};
