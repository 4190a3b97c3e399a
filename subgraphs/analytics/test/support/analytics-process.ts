import {
  bearer,
  developmentToken,
  freePort,
  graphqlData,
  ManagedProcess,
  waitFor,
  type TestInfra,
} from '@orderflow/stack';
import { join, resolve } from 'node:path';

const ENTRY = resolve(__dirname, '..', '..', 'dist', 'main.js');
const admin = bearer(developmentToken('ops', { admin: true }));

/** One analytics process from its built entry point: a replica when it shares `dataDir`. */
export const analytics = async (infra: TestInfra, dataDir: string, name: string) => {
  const port = await freePort();
  const process = new ManagedProcess({
    name,
    command: globalThis.process.execPath,
    args: [ENTRY],
    env: {
      NATS_URL: infra.nats.url,
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ANALYTICS_ALLOWED_LATENESS_MS: '60000',
    },
    output: { file: join(infra.dir, `${name}.log`) },
  });
  const url = `http://127.0.0.1:${port}`;
  const start = async () => {
    process.start();
    await waitFor(`${name} to be ready`, async () => {
      const response = await fetch(`${url}/health/ready`).catch(() => undefined);
      return response?.status === 200;
    });
  };
  await start();
  /** Each processor's position, from readiness. */
  const positions = async () => {
    const response = await fetch(`${url}/health/ready`);
    const body = (await response.json()) as {
      parts?: { readers?: { name: string; position: number }[] };
    };
    return new Map((body.parts?.readers ?? []).map((r) => [r.name, r.position]));
  };
  /** As an admin. */
  const query = <T>(q: string, variables: Record<string, unknown> = {}) =>
    graphqlData<T>(`${url}/graphql`, q, variables, admin);
  return { process, start, positions, query };
};

export type Analytics = Awaited<ReturnType<typeof analytics>>;
