import type { WireMessage } from '@orderflow/runtime';
import { MessageProviderPact, type MessageDescriptor } from '@pact-foundation/pact';
import { pactsOf, type PactFile } from './pact-files';
import { recordVerified } from './verification-record';

/**
 * The provider's situations that consumers name: each builds a fresh world, runs the service's
 * real commands in it and returns what they published, in order, as it went over the wire.
 */
export type ProviderStates = Readonly<Record<string, () => Promise<readonly WireMessage[]>>>;

export interface VerificationResult {
  readonly consumer: string;
  readonly provider: string;
  readonly file: string;
  readonly pact: PactFile;
  readonly error?: Error;
}

const decode = (message: WireMessage): { type?: unknown; version?: unknown } =>
  JSON.parse(new TextDecoder().decode(message.data)) as { type?: unknown; version?: unknown };

const expectedType = (content: unknown): string | undefined => {
  const type = (content as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' ? type : undefined;
};

/**
 * Builds the message a consumer's interaction asks for: runs the provider state it names and
 * takes the last message of the expected type that state published. Unknown states fail rather
 * than being skipped (which is what a missing Pact state handler would do).
 */
const messageFor =
  (provider: string, states: ProviderStates, type: string | undefined, failed: string[]) =>
  async (descriptor: MessageDescriptor) => {
    try {
      return await buildMessage(provider, states, type, descriptor);
    } catch (error) {
      // Pact reports only that the body did not match; the reason is added to the result.
      failed.push(
        `${descriptor.description}: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw error;
    }
  };

const buildMessage = async (
  provider: string,
  states: ProviderStates,
  type: string | undefined,
  descriptor: MessageDescriptor,
) => {
  const [state, ...others] = descriptor.providerStates ?? [];
  if (!state || others.length > 0) {
    throw new Error(`"${descriptor.description}" must name exactly one provider state`);
  }
  const setUp = states[state.name];
  if (!setUp) throw new Error(`${provider} knows no provider state "${state.name}"`);
  const published = await setUp();
  const message = published.findLast((candidate) => decode(candidate).type === type);
  if (!message) {
    const seen = published.map((candidate) => String(decode(candidate).type)).join(', ');
    throw new Error(
      `in "${state.name}" ${provider} published no ${type} (only: ${seen || 'nothing'})`,
    );
  }
  const envelope = decode(message);
  return {
    __pactMessageMetadata: { subject: message.subject, schemaVersion: String(envelope.version) },
    message: envelope,
  };
};

interface VerifierReport {
  readonly errors?: readonly {
    readonly interaction?: string;
    readonly mismatch?: {
      readonly mismatches?: readonly { readonly path?: string; readonly mismatch?: string }[];
    };
  }[];
}

/** The verifier rejects with its whole report as JSON; what a developer needs is the mismatches. */
const readable = (error: unknown): string => {
  const text = error instanceof Error ? error.message : String(error);
  try {
    const report = JSON.parse(text) as VerifierReport;
    const lines = (report.errors ?? []).flatMap(({ interaction, mismatch }) =>
      (mismatch?.mismatches ?? []).map((m) =>
        `${interaction ?? '?'}: ${m.path ?? ''} ${m.mismatch ?? ''}`.trim(),
      ),
    );
    return lines.length > 0 ? lines.join('\n') : text;
  } catch {
    return text;
  }
};

/**
 * Verifies every committed pact that names `provider` (or the given ones), one consumer at a time,
 * against messages built by `states`. Resolves with each consumer's result; a failed one carries
 * its error. What the committed pacts verify is recorded for can-i-deploy.
 */
export const verifyProvider = async (
  provider: string,
  states: ProviderStates,
  given?: readonly { readonly file: string; readonly pact: PactFile }[],
): Promise<VerificationResult[]> => {
  const pacts = given ?? pactsOf(provider);
  if (pacts.length === 0) throw new Error(`no committed pact names ${provider} as its provider`);
  const results: VerificationResult[] = [];
  for (const { file, pact } of pacts) {
    const failed: string[] = [];
    const messageProviders = Object.fromEntries(
      pact.interactions.map((interaction) => [
        interaction.description,
        messageFor(provider, states, expectedType(interaction.contents?.content), failed),
      ]),
    );
    const verification = new MessageProviderPact({
      provider,
      pactUrls: [file],
      messageProviders,
      logLevel: 'error',
    });
    const base = { consumer: pact.consumer.name, provider, file, pact };
    try {
      await verification.verify();
      results.push(base);
    } catch (error) {
      results.push({ ...base, error: new Error([...failed, readable(error)].join('\n')) });
    }
  }
  if (!given) recordVerified(results);
  return results;
};
