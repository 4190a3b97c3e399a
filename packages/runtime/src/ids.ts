import { createHash, randomUUID } from 'node:crypto';

const NAMESPACE = 'orderflow';

/**
 * A name-based (RFC 9562 version 5 style) UUID: the same name always gives the same id. Reactions
 * derive their event ids from what caused them, so a redelivered message republishes the same ids
 * and JetStream's `Nats-Msg-Id` dedup drops the copies.
 */
export const deterministicId = (name: string): string => {
  const bytes = createHash('sha1').update(`${NAMESPACE}:${name}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

export const randomId = (): string => randomUUID();

/** What a caller may name its request: it travels into events as their cause, so it is bounded. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-request-id` when it is a plain token of sane length, else a fresh one. */
export const requestIdOf = (given: string | undefined): string =>
  given !== undefined && REQUEST_ID.test(given) ? given : randomId();
