/**
 * bench:security — each hand-written part of the request path against the maintained library that
 * does the same, side by side in one run: verifying a token (jsonwebtoken vs jose, HS256 and
 * RS256, and packages/auth's verifier as it is), the gateway's operation limits (its depth, alias
 * and cost rules vs graphql-armor's max-depth, max-aliases and cost-limit) and the rate limit check
 * (the gateway's token buckets vs rate-limiter-flexible's RateLimiterMemory). docs/performance.md
 * says what was chosen from these figures. Usage: npm run bench:security -- [--seconds 0.4]
 * [--rounds 8]
 */
import '@orderflow/auth/dist/node-version';
import { Supergraph } from '@apollo/federation-internals';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule as armorAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule as armorDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { authConfig, createVerifier, developmentSecret } from '@orderflow/auth';
import { rateLimiter } from '@orderflow/gateway/dist/limits';
import { maxAliasesRule } from '@orderflow/gateway/dist/limits/aliases';
import { maxCostRule } from '@orderflow/gateway/dist/limits/cost';
import { maxDepthRule } from '@orderflow/gateway/dist/limits/depth';
import { defaultSupergraphPath } from '@orderflow/gateway/dist/paths';
import {
  getIntrospectionQuery,
  parse,
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { sign, verify } from 'jsonwebtoken';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { parseFlags, positiveNumber, wholeNumber } from './args';
import { atExit, runScript } from './lifecycle';
import { count, figure, median, renderTable, type Cell } from './stats';

const FLAGS = {
  seconds: { description: 'time each side of a comparison is measured for', default: '0.4' },
  rounds: { description: 'alternations of the two sides within that time', default: '8' },
};

/** A batch is timed as a whole: long enough for the clock, short enough for many samples. */
const BATCH_MS = 2;
const WARMUP_MS = 100;
/** The gateway's limits by default (docs/services/gateway.md#limits). */
const LIMITS = { maxDepth: 12, maxAliases: 30, maxCost: 5000 };

const now = () => performance.now();
const progress = (line: string) => process.stderr.write(`${line}\n`);

/** One call of what is measured; `calls` is how many operations it does (a batch at once). */
interface Subject {
  readonly run: () => unknown;
  readonly calls?: number;
}

interface Timing {
  /** Microseconds per operation: the median over the batches. */
  readonly median: number;
}

/** Runs `subject` `times` times, awaiting it when it returns a promise; milliseconds taken. */
const batch = async (subject: Subject, times: number): Promise<number> => {
  const started = now();
  for (let i = 0; i < times; i++) {
    const result = subject.run();
    if (result instanceof Promise) await result;
  }
  return now() - started;
};

/** How many calls make a batch of about BATCH_MS, found while warming up. */
const calibrate = async (subject: Subject): Promise<number> => {
  let times = 1;
  const started = now();
  while ((await batch(subject, times)) < BATCH_MS && times < 1 << 20) times *= 2;
  while (now() - started < WARMUP_MS) await batch(subject, times);
  return times;
};

/**
 * Times two subjects in `rounds` alternations of `seconds / rounds` each, so that a drift of the
 * machine (another process, a GC, the CPU's clock) falls on both sides alike.
 */
const compare = async (
  subjects: readonly Subject[],
  seconds: number,
  rounds: number,
): Promise<Timing[]> => {
  const sizes: number[] = [];
  for (const subject of subjects) sizes.push(await calibrate(subject));
  const samples = subjects.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, subject] of subjects.entries()) {
      const started = now();
      const times = sizes[i]!;
      const calls = times * (subject.calls ?? 1);
      do {
        samples[i]!.push(((await batch(subject, times)) * 1000) / calls);
      } while (now() - started < (seconds * 1000) / rounds);
    }
  }
  return samples.map((taken) => ({ median: median(taken) }));
};

/** µs per operation, with the operations a second that makes. */
const timingCell = (timing: Timing): Cell => [
  `${figure(timing.median)} µs`,
  `${count(Math.round(1e6 / timing.median))}/s`,
];

/** The library's time over ours: above 1 the library is slower, below 1 faster. */
const ratio = (ours: Timing, library: Timing) => `×${figure(library.median / ours.median)}`;

// --- JWT ---------------------------------------------------------------------------------------

const jwtSection = async (seconds: number, rounds: number) => {
  progress('JWT verification…');
  const claims = { sub: 'alice', scope: 'admin' };
  const hs256 = sign(claims, developmentSecret, { algorithm: 'HS256', expiresIn: 3600 });
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'bench', alg: 'RS256', use: 'sig' };
  const rs256 = sign(claims, privateKey, { algorithm: 'RS256', expiresIn: 3600, keyid: 'bench' });
  // jose takes a CryptoKey imported once: the fastest of its key forms for HMAC.
  const hmacKey = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(developmentSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  const localKeySet = createLocalJWKSet({ keys: [jwk] });
  const pem = publicKey.export({ type: 'spki', format: 'pem' });

  // packages/auth's verifier as it is, against a key set served here on loopback.
  const keySetServer = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  atExit('stop the key set server', async () => {
    keySetServer.closeAllConnections();
    await new Promise((done) => keySetServer.close(done));
  });
  await new Promise<void>((done) => keySetServer.listen(0, '127.0.0.1', done));
  const { port } = keySetServer.address() as AddressInfo;
  const hsVerifier = createVerifier(authConfig.parse({}));
  const rsVerifier = createVerifier(
    authConfig.parse({ AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json` }),
  );

  const inFlight = 32;
  const pairs: { label: string; ours: Subject; library: Subject }[] = [
    {
      label: 'HS256, one at a time',
      ours: { run: () => verify(hs256, developmentSecret, { algorithms: ['HS256'] }) },
      library: { run: () => jwtVerify(hs256, hmacKey, { algorithms: ['HS256'] }) },
    },
    {
      label: 'RS256, key in hand, one at a time',
      ours: { run: () => verify(rs256, publicKey, { algorithms: ['RS256'] }) },
      library: { run: () => jwtVerify(rs256, publicKey, { algorithms: ['RS256'] }) },
    },
    {
      label: `RS256, key in hand, ${inFlight} at once`,
      ours: {
        run: () =>
          Promise.all(
            Array.from({ length: inFlight }, async () =>
              verify(rs256, publicKey, { algorithms: ['RS256'] }),
            ),
          ),
        calls: inFlight,
      },
      library: {
        run: () =>
          Promise.all(
            Array.from({ length: inFlight }, () =>
              jwtVerify(rs256, publicKey, { algorithms: ['RS256'] }),
            ),
          ),
        calls: inFlight,
      },
    },
    {
      label: 'RS256, key chosen from a JWKS by kid',
      // jwks-rsa hands jsonwebtoken a cached PEM, which it parses on every call.
      ours: { run: () => verify(rs256, pem, { algorithms: ['RS256'] }) },
      library: { run: () => jwtVerify(rs256, localKeySet, { algorithms: ['RS256'] }) },
    },
  ];
  const rows: Cell[][] = [];
  for (const { label, ours, library } of pairs) {
    const [a, b] = await compare([ours, library], seconds, rounds);
    rows.push([label, timingCell(a!), timingCell(b!), ratio(a!, b!)]);
  }
  const [hs, rs] = await compare(
    [{ run: () => hsVerifier(`Bearer ${hs256}`) }, { run: () => rsVerifier(`Bearer ${rs256}`) }],
    seconds,
    rounds,
  );
  rows.push([
    'packages/auth createVerifier, whole (HS256 | RS256 from AUTH_JWKS_URL)',
    timingCell(hs!),
    timingCell(rs!),
    '',
  ]);
  return renderTable(['JWT verification', 'jsonwebtoken', 'jose', 'jose / jsonwebtoken'], rows);
};

// --- Operation limits -----------------------------------------------------------------------

interface Operation {
  readonly label: string;
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>>;
}

const aliased = (n: number) =>
  Array.from({ length: n }, (_, i) => `p${i}: product(sku: "${i}") { sku name }`).join(' ');
const fanOut = [
  '{ product(sku: "A") { ...F0 } }',
  ...Array.from(
    { length: 40 },
    (_, i) => `fragment F${i} on Product { ...F${i + 1} ...F${i + 1} }`,
  ),
  'fragment F40 on Product { sku }',
].join('\n');

/** Shaped like what clients send to the API schema, from one product to an attack. */
const OPERATIONS: readonly Operation[] = [
  {
    label: 'one product',
    query: 'query ($sku: ID!) { product(sku: $sku) { sku name price { amount currency } } }',
    variables: { sku: 'A' },
  },
  {
    label: 'an order: lines, history, payment, shipment',
    query: `query ($id: ID!) { order(id: $id) {
      id status total { amount currency }
      lines { sku quantity unitPrice { amount currency } product { name } }
      history { status at reason } payment { status } shipment { status trackingNumber }
    } }`,
    variables: { id: 'o-1' },
  },
  {
    label: 'a page of orders, first: $first = 50',
    query: `query ($first: Int) { orders(first: $first) {
      edges { cursor node { id status total { amount currency } lines { sku quantity product { name } } } }
      pageInfo { hasNextPage endCursor }
    } }`,
    variables: { first: 50 },
  },
  {
    label: 'the same page in named fragments',
    query: `query ($first: Int) { orders(first: $first) { edges { node { ...OrderCard } } } }
      fragment OrderCard on Order { id status total { ...Amount } lines { ...Line } }
      fragment Line on OrderLine { sku quantity unitPrice { ...Amount } product { name } }
      fragment Amount on Money { amount currency }`,
    variables: { first: 50 },
  },
  { label: '30 aliased products', query: `{ ${aliased(30)} }` },
  { label: 'fragments spreading 2^40 fields (attack)', query: fanOut },
  { label: "a tool's introspection query", query: getIntrospectionQuery() },
];

type Measure = 'depth' | 'aliases' | 'cost';

/**
 * graphql-armor as its Apollo integration sets it up (it reports, it does not throw), and as close
 * to ours as its options go: fragments add no depth.
 */
const armorRules = (limit: Readonly<Record<Measure, number>>, found?: Map<Measure, string>) => {
  const seen = (measure: Measure) => ({
    propagateOnRejection: false,
    onAccept: [],
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        found?.set(measure, /found (\S+)\.$/.exec(error.message)?.[1] ?? '?');
        context?.reportError(error);
      },
    ],
  });
  return {
    depth: armorDepthRule({
      n: limit.depth,
      flattenFragments: true,
      ...seen('depth'),
    }) as ValidationRule,
    aliases: armorAliasesRule({ n: limit.aliases, ...seen('aliases') }) as ValidationRule,
    cost: costLimitRule({
      maxCost: limit.cost,
      flattenFragments: true,
      ...seen('cost'),
    }) as ValidationRule,
  };
};

/** The gateway's rules, made the way its plugin makes them: for each request, with its variables. */
const ourRules = (
  limit: Readonly<Record<Measure, number>>,
  variables: Readonly<Record<string, unknown>>,
): Record<Measure, () => ValidationRule> => ({
  depth: () => maxDepthRule(limit.depth),
  aliases: () => maxAliasesRule(limit.aliases),
  cost: () => maxCostRule(limit.cost, variables),
});

/** What each side measures in `document`: a limit of -1 makes every rule report its figure. */
const measuredBy = (
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>>,
) => {
  const below = { depth: -1, aliases: -1, cost: -1 };
  const ours = new Map<Measure, string>();
  for (const [measure, rule] of Object.entries(ourRules(below, variables))) {
    const [refusal] = validate(schema, document, [rule()]);
    const value = refusal?.extensions[measure];
    ours.set(measure as Measure, typeof value === 'number' ? String(value) : '?');
  }
  const armor = new Map<Measure, string>();
  validate(schema, document, Object.values(armorRules(below, armor)));
  return { ours, armor };
};

const limitsSection = async (seconds: number, rounds: number) => {
  progress('operation limits…');
  const schema = Supergraph.build(readFileSync(defaultSupergraphPath, 'utf8'))
    .apiSchema()
    .toGraphQLJSSchema();
  const limit = { depth: LIMITS.maxDepth, aliases: LIMITS.maxAliases, cost: LIMITS.maxCost };
  const rows: Cell[][] = [];
  for (const operation of OPERATIONS) {
    const document = parse(operation.query);
    const variables = operation.variables ?? {};
    const found = measuredBy(schema, document, variables);
    const armor = armorRules(limit);
    const ours = ourRules(limit, variables);
    const rules: [Measure | 'all three', () => ValidationRule[], ValidationRule[]][] = [
      ['depth', () => [ours.depth()], [armor.depth]],
      ['aliases', () => [ours.aliases()], [armor.aliases]],
      ['cost', () => [ours.cost()], [armor.cost]],
      ['all three', () => [ours.depth(), ours.aliases(), ours.cost()], Object.values(armor)],
    ];
    for (const [measure, oursNow, armorAll] of rules) {
      const [a, b] = await compare(
        [
          { run: () => validate(schema, document, oursNow()) },
          { run: () => validate(schema, document, armorAll) },
        ],
        seconds,
        rounds,
      );
      // A refusal costs a GraphQLError (its stack trace included): say which side refused.
      const shown = (side: ReadonlyMap<Measure, string>) => {
        if (measure === 'all three') return '';
        const n = Number(side.get(measure));
        if (Number.isNaN(n)) return '?';
        const text = Number.isInteger(n) ? count(n) : n.toFixed(1);
        return n > limit[measure] ? `${text} refused` : text;
      };
      rows.push([
        measure === 'depth' ? operation.label : '',
        measure,
        timingCell(a!),
        timingCell(b!),
        ratio(a!, b!),
        shown(found.ours),
        shown(found.armor),
      ]);
    }
  }
  return renderTable(
    [
      'operation (validate() with only these rules)',
      'rule',
      'ours',
      'graphql-armor',
      'armor / ours',
      'ours found',
      'armor found',
    ],
    rows,
  );
};

// --- Rate limit ------------------------------------------------------------------------------

/** The gateway's refusal, built the same way from either limiter's answer. */
const refusal = (retryAfter: number) => ({
  status: 429,
  headers: { 'retry-after': String(retryAfter) },
  body: { errors: [{ message: `retry in ${retryAfter} s`, extensions: { code: 'RATE_LIMITED' } }] },
});

/** rate-limiter-flexible in the gateway's place: a fixed window of `points` per `duration` s. */
const flexibleAdmit = (points: number, duration: number) => {
  const limiter = new RateLimiterMemory({ points, duration });
  return async (key: string) => {
    try {
      await limiter.consume(key);
      return undefined;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return refusal(Math.ceil(rejection.msBeforeNext / 1000));
    }
  };
};

const rateLimitSection = async (seconds: number, rounds: number) => {
  progress('rate limit checks…');
  const request = { headers: {}, socket: {} } as unknown as IncomingMessage;
  // As many as the gateway holds buckets for (TokenBuckets.maxClients).
  const clients = 100_000;
  const inTurn = () => {
    let i = 0;
    return () => `customer:${i++ % clients}`;
  };
  /** Each side gets its own `keys()`, so that each sees every client in turn. */
  const scenarios: { label: string; keys: () => () => string; admitted: boolean }[] = [
    { label: 'one client, admitted', keys: () => () => 'customer:alice', admitted: true },
    { label: `${count(clients)} clients in turn, admitted`, keys: inTurn, admitted: true },
    {
      label: 'one client over its rate, refused',
      keys: () => () => 'customer:mallory',
      admitted: false,
    },
  ];
  const rows: Cell[][] = [];
  for (const { label, keys, admitted } of scenarios) {
    // Admitted: a rate no benchmark reaches. Refused: one request a minute, spent at once.
    const ours = rateLimiter(
      admitted ? { perMinute: 1e12, burst: 1e12 } : { perMinute: 1, burst: 1 },
      keys(),
    );
    const flexible = admitted ? flexibleAdmit(1e12, 60) : flexibleAdmit(1, 60);
    const flexibleKey = keys();
    const [a, b] = await compare(
      [{ run: () => ours(request) }, { run: () => flexible(flexibleKey()) }],
      seconds,
      rounds,
    );
    rows.push([label, timingCell(a!), timingCell(b!), ratio(a!, b!)]);
  }
  return renderTable(
    [
      'rate limit check (the admit function)',
      'ours (token buckets)',
      'RateLimiterMemory',
      'library / ours',
    ],
    rows,
  );
};

const main = async () => {
  const flags = parseFlags(
    process.argv.slice(2),
    FLAGS,
    'usage: npm run bench:security -- [flags]',
  );
  const seconds = positiveNumber('seconds', flags.seconds);
  const rounds = wholeNumber('rounds', flags.rounds);
  const machine = () =>
    `node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}`;
  const setting = `${seconds} s a side, in ${rounds} alternations`;
  progress(`bench:security: ${setting}; ${machine()}`);
  const started = now();
  const sections = [
    await jwtSection(seconds, rounds),
    await limitsSection(seconds, rounds),
    await rateLimitSection(seconds, rounds),
  ];
  process.stdout.write(
    `bench:security: ${setting}; ${machine()}\n` +
      `Each cell: the median µs per operation over batches of about ${BATCH_MS} ms, and the ` +
      `operations a second that makes. Ratios divide the library's median by ours: above ×1 ` +
      `the library is slower.\n\n${sections.join('\n')}\n` +
      `measured in ${Math.round((now() - started) / 1000)} s\n`,
  );
};

runScript(main);
