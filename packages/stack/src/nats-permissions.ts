import {
  busUsers,
  deadLetterStream,
  deadLetterSubject,
  inboxPrefixOf,
  replaySubject,
  streams,
  type BusAccess,
  type Durable,
} from '@orderflow/contracts';

/** A nats-server user's permissions, in the shape of its configuration file. */
export interface NatsPermissions {
  readonly publish: { readonly allow: readonly string[]; readonly deny?: readonly string[] };
  readonly subscribe: { readonly allow: readonly string[] };
}

/** Whoever runs the deployment: every subject, for backups, repairs and tests. */
export const ADMIN_USER = 'admin';

const API = '$JS.API';
const DLQ = deadLetterStream.name;

/** Reading a stream: its state, single messages, and consumers of its own naming to pull from. */
const readStream = (stream: string) => [
  `${API}.STREAM.INFO.${stream}`,
  `${API}.STREAM.MSG.GET.${stream}`,
  `${API}.DIRECT.GET.${stream}`,
  `${API}.DIRECT.GET.${stream}.>`,
  `${API}.CONSUMER.CREATE.${stream}`,
  `${API}.CONSUMER.CREATE.${stream}.>`,
  `${API}.CONSUMER.INFO.${stream}.*`,
  `${API}.CONSUMER.DELETE.${stream}.*`,
  `${API}.CONSUMER.MSG.NEXT.${stream}.*`,
];

/** Running a durable consumer: creating it, acknowledging its deliveries, dead-lettering them. */
const runDurable = ({ stream, name }: Durable) => {
  const streamName = streams[stream].name;
  return [
    `${API}.CONSUMER.DURABLE.CREATE.${streamName}.${name}`,
    `$JS.ACK.${streamName}.${name}.>`,
    deadLetterSubject(name),
  ];
};

/** What no one but a durable's own service may do to it: reconfigure, delete or pull from it. */
const seizeDurable = ({ stream, name }: Durable) => {
  const streamName = streams[stream].name;
  return [
    `${API}.CONSUMER.CREATE.${streamName}.${name}`,
    `${API}.CONSUMER.CREATE.${streamName}.${name}.>`,
    `${API}.CONSUMER.DURABLE.CREATE.${streamName}.${name}`,
    `${API}.CONSUMER.DELETE.${streamName}.${name}`,
    `${API}.CONSUMER.MSG.NEXT.${streamName}.${name}`,
    `$JS.ACK.${streamName}.${name}.>`,
  ];
};

const operateDeadLetters = [
  `${API}.STREAM.INFO.${DLQ}`,
  `${API}.STREAM.MSG.GET.${DLQ}`,
  `${API}.STREAM.MSG.DELETE.${DLQ}`,
  `${API}.DIRECT.GET.${DLQ}`,
  `${API}.DIRECT.GET.${DLQ}.>`,
  replaySubject('*'),
];

/** Reading the dead letters, one by one: neither removing nor replaying them. */
const readDeadLetters = [
  `${API}.STREAM.INFO.${DLQ}`,
  `${API}.STREAM.MSG.GET.${DLQ}`,
  `${API}.DIRECT.GET.${DLQ}`,
  `${API}.DIRECT.GET.${DLQ}.>`,
];

/**
 * Least privilege on the bus: a service appends only to its own context's subjects, creates and
 * updates only its own stream (and the shared dead-letter stream), reads what it consumes, and
 * alone drives its durable consumers. Nobody but `admin` may purge or delete a stream.
 */
/**
 * Where a service answers replay requests: the inboxes of those who may ask for replays. Not
 * `allow_responses`, which has nats-server remember the reply subject of every message it
 * delivers to the user, JetStream's ack subjects included, until it is answered: an ordered
 * consumer never answers, the map only grew, and nats-server scanned all of it on each delivery
 * (its CPU per order tripled from the first thousand orders to the second).
 */
const replayRequesters = [
  ...Object.entries(busUsers)
    .filter(([, access]) => (access as BusAccess).operatesDeadLetters === true)
    .map(([user]) => user),
  ADMIN_USER,
].map((user) => `${inboxPrefixOf(user)}.>`);

export const permissionsOf = (user: string, access: BusAccess): NatsPermissions => {
  const others = Object.entries(busUsers)
    .filter(([name]) => name !== user)
    .flatMap(([, other]) => (other as BusAccess).durables);
  const allow = [
    `${API}.INFO`,
    ...access.appends.flatMap((context) => [
      ...streams[context].subjects,
      `${API}.STREAM.CREATE.${streams[context].name}`,
      `${API}.STREAM.UPDATE.${streams[context].name}`,
      `${API}.STREAM.INFO.${streams[context].name}`,
    ]),
    ...(access.appends.length > 0
      ? [`${API}.STREAM.CREATE.${DLQ}`, `${API}.STREAM.UPDATE.${DLQ}`, `${API}.STREAM.INFO.${DLQ}`]
      : []),
    ...access.reads.flatMap((context) => readStream(streams[context].name)),
    ...access.durables.flatMap(runDurable),
    // Replaying one of its own dead letters reads it, once handled removes it, and answers.
    ...(access.durables.length > 0
      ? [`${API}.STREAM.MSG.GET.${DLQ}`, `${API}.STREAM.MSG.DELETE.${DLQ}`, ...replayRequesters]
      : []),
    ...(access.operatesDeadLetters ? operateDeadLetters : []),
    ...(access.readsDeadLetters ? readDeadLetters : []),
  ];
  const deny = others.filter((durable) => access.reads.includes(durable.stream));
  return {
    publish: {
      allow: [...new Set(allow)],
      ...(deny.length > 0 ? { deny: deny.flatMap(seizeDurable) } : {}),
    },
    subscribe: {
      allow: [
        `${inboxPrefixOf(user)}.>`,
        ...access.durables.map(({ name }) => replaySubject(name)),
      ],
    },
  };
};

const adminPermissions: NatsPermissions = {
  publish: { allow: ['>'] },
  subscribe: { allow: ['>'] },
};

/** Every user of the bus and `admin`, with their permissions. */
export const natsUsers = (): readonly { user: string; permissions: NatsPermissions }[] => [
  ...Object.entries(busUsers).map(([user, access]) => ({
    user,
    permissions: permissionsOf(user, access),
  })),
  { user: ADMIN_USER, permissions: adminPermissions },
];

/**
 * The `authorization` block of a nats-server configuration. `password` gives each user's
 * password as the file should hold it: a quoted literal, or `$VARIABLE` for nats-server to
 * read from its environment.
 */
export const renderAuthorization = (password: (user: string) => string): string => {
  const users = natsUsers().map(
    ({ user, permissions }) =>
      `    {\n      user: ${JSON.stringify(user)}\n      password: ${password(user)}\n` +
      `      permissions: ${JSON.stringify(permissions, null, 2).replaceAll('\n', '\n      ')}\n    }`,
  );
  return `authorization {\n  users: [\n${users.join('\n')}\n  ]\n}\n`;
};
