/** How `npm run watch` ends: its words for a person and its exit code. */
export interface WatchEnd {
  readonly message: string;
  /** 0 the order reached its end; 1 no such order, or the stream failed; 2 a setup mistake. */
  readonly exitCode: 0 | 1 | 2;
}

/** An order in one of these has nothing more to tell. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['COMPLETED', 'CANCELLED']);

const mintHint =
  'mint one with `npm run -s token -- --sub <customer id>` (or `--sub ops --admin` for every ' +
  'order and --metrics) and pass it as TOKEN';

const tokenRefused = (why: string): WatchEnd => ({
  message:
    `the gateway refused the token (${why}): it is missing, malformed, expired or signed with ` +
    `another secret than the gateway's; ${mintHint}`,
  exitCode: 2,
});

interface GraphQLErrorLike {
  readonly message?: string;
  readonly extensions?: { readonly code?: string };
}

/** What the gateway's GraphQL errors mean for the person watching. */
const explainErrors = (errors: readonly GraphQLErrorLike[], orderId: string | undefined) => {
  const codes = new Set(errors.map((error) => error.extensions?.code));
  if (codes.has('UNAUTHENTICATED')) return tokenRefused('UNAUTHENTICATED');
  if (codes.has('NOT_FOUND')) {
    return {
      message:
        `there is no order ${orderId ?? ''} that this token may see: it does not exist, or it ` +
        "is another customer's (a customer sees only their own orders; an admin token sees every one)",
      exitCode: 1,
    } as const;
  }
  if (codes.has('FORBIDDEN')) {
    return {
      message: `the token does not allow this (FORBIDDEN): ${errors[0]?.message ?? ''}; ${mintHint}`,
      exitCode: 2,
    } as const;
  }
  const text = errors.map((error) => error.message ?? JSON.stringify(error)).join('; ');
  return { message: `the gateway ended the watch: ${text}`, exitCode: 1 } as const;
};

const isCloseEvent = (value: unknown): value is { code: number; reason: string } =>
  typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;

/**
 * Why a watch ended, in words: graphql-ws hands over a socket's close (4401 or 4403 when the
 * gateway refuses the connection's token), the GraphQL errors the gateway sent instead of data,
 * or the error that kept the socket from opening at all.
 */
export const explainWatchEnd = (
  failure: unknown,
  { gateway, orderId }: { readonly gateway: string; readonly orderId?: string },
): WatchEnd => {
  if (Array.isArray(failure)) return explainErrors(failure as GraphQLErrorLike[], orderId);
  if (isCloseEvent(failure)) {
    const close = `${failure.code}${failure.reason ? ` ${failure.reason}` : ''}`;
    if (failure.code === 4401 || failure.code === 4403) return tokenRefused(close);
    if (failure.code === 1001) {
      return { message: `the gateway at ${gateway} shut down (${close})`, exitCode: 1 };
    }
    return {
      message: `the connection to the gateway at ${gateway} closed (${close}); is the system running?`,
      exitCode: failure.code === 1006 ? 2 : 1,
    };
  }
  const reason =
    failure instanceof Error
      ? failure.message
      : String((failure as { message?: unknown } | undefined)?.message ?? failure);
  return {
    message: `could not reach the gateway at ${gateway}: ${reason}; is the system running?`,
    exitCode: 2,
  };
};
