import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { histogram, latencyBuckets } from './metrics';

const requestSeconds = histogram({
  name: 'orderflow_graphql_request_seconds',
  help: 'How long a GraphQL request took, by server, operation name and outcome',
  labelNames: ['server', 'operation', 'outcome'],
  buckets: latencyBuckets,
});

/** Operation names are the client's to choose: a few hundred are kept apart, the rest pooled. */
const MAX_OPERATIONS = 200;
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const known = new Set<string>();

export const operationLabel = (name: string | null | undefined): string => {
  if (!name) return 'anonymous';
  if (!NAME.test(name)) return 'other';
  if (known.has(name)) return name;
  if (known.size >= MAX_OPERATIONS) return 'other';
  known.add(name);
  return name;
};

/** Times every request from its arrival to its answer, as Prometheus sees it. */
export const requestMetricsPlugin = <Ctx extends BaseContext>(
  server: string,
): ApolloServerPlugin<Ctx> => ({
  async requestDidStart() {
    const end = requestSeconds.startTimer({ server });
    return {
      async willSendResponse({ request, errors }) {
        end({
          operation: operationLabel(request.operationName),
          outcome: errors && errors.length > 0 ? 'error' : 'ok',
        });
      },
    };
  },
});
