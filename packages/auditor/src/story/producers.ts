import {
  busUsers,
  catalog,
  isEventType,
  type BusAccess,
  type Envelope,
} from '@orderflow/contracts';

const users: Readonly<Record<string, BusAccess>> = busUsers;

/**
 * The work each service does when time passes (docs/architecture.md, Pollers): what a
 * `deadline` cause of that service's events stands for.
 */
const pollers: Readonly<Record<string, string>> = {
  order: 'order-deadlines',
  shipping: 'deliveries',
};

/** The service whose durable consumer this is (contracts/src/bus-access.ts). */
export const serviceOfDurable = (durable: string): string | undefined =>
  Object.entries(users).find(([, access]) =>
    access.durables.some(({ name }) => name === durable),
  )?.[0];

/**
 * What made a service write `event`: the durable consumer of that service that reads the stream
 * of the cause (each service has one per stream it reacts to), the poller whose work fell due,
 * or an API request. Read from the envelope alone, as the log has nothing else to say it.
 */
export const producerOf = (event: Envelope): string => {
  const service = catalog[event.type].context;
  const cause = event.causationType;
  if (cause === 'request') return `${service} API`;
  if (cause === 'deadline') return pollers[service] ?? `${service} poller`;
  if (cause === undefined || !isEventType(cause)) return service;
  const stream = catalog[cause].context;
  return users[service]?.durables.find((durable) => durable.stream === stream)?.name ?? service;
};
