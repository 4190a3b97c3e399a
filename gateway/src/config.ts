import { authConfig, ownSecretInProduction } from '@orderflow/auth';
import {
  baseConfig,
  callerSecretInProduction,
  callerSecretSetting,
  loadConfig,
  port,
} from '@orderflow/runtime';
import { z } from 'zod';
import { limitVariables } from './limits';
import { defaultSupergraphPath } from './paths';

const SUBGRAPH_URL = /^SUBGRAPH_([A-Z][A-Z0-9_]*)_URL$/;

const schema = baseConfig
  .pick({ LOG_LEVEL: true, LOG_FORMAT: true })
  .extend(authConfig.shape)
  .extend({
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port(4000),
    /** Any composed supergraph can be served; the checked-in one is the default. */
    SUPERGRAPH_PATH: z.string().min(1).default(defaultSupergraphPath),
    /** Shown to every subgraph, which answers only a caller that shows it. */
    SUBGRAPH_CALLER_SECRET: callerSecretSetting,
    ...limitVariables,
  });

export interface GatewayConfig extends z.infer<typeof schema> {
  /** Subgraph name -> URL, overriding the routing URL written in the supergraph. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
}

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env): GatewayConfig => {
  const urlVariables = Object.keys(env).filter((key) => SUBGRAPH_URL.test(key));
  const urls = z.record(z.string(), z.url('expected a URL like http://127.0.0.1:4001/graphql'));
  const checked = schema
    .extend({ SUBGRAPH_URLS: urls })
    .superRefine(ownSecretInProduction)
    .superRefine(callerSecretInProduction);
  const { SUBGRAPH_URLS, ...config } = loadConfig(checked, {
    ...env,
    SUBGRAPH_URLS: Object.fromEntries(urlVariables.map((key) => [key, env[key]])),
  });
  const subgraphUrls = Object.fromEntries(
    Object.entries(SUBGRAPH_URLS).map(([key, url]) => [
      key.replace(SUBGRAPH_URL, '$1').toLowerCase(),
      url,
    ]),
  );
  return { ...config, subgraphUrls };
};
