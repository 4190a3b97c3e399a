/**
 * The error codes of the public API. A domain rejects a command by throwing a
 * DomainError; adapters turn it into `extensions.code` without knowing the rule behind it.
 */
export type ErrorCode =
  'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'UNAUTHENTICATED';

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
