import type { WireMessage } from '@orderflow/runtime';
import { MessageProviderPact, type MessageDescriptor } from '@pact-foundation/pact';
import { pactsOf, type PactFile } from './pact-files';

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
  (provider: string, states: ProviderStates, type: string | undefined) =>
  async (descriptor: MessageDescriptor) => {
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

/**
 * Verifies every committed pact that names `provider`, one consumer at a time, against messages
 * built by `states`. Resolves with each consumer's result; a failed one carries its error.
 */
export const verifyProvider = async (
  provider: string,
  states: ProviderStates,
  pacts = pactsOf(provider),
): Promise<VerificationResult[]> => {
  if (pacts.length === 0) throw new Error(`no committed pact names ${provider} as its provider`);
  const results: VerificationResult[] = [];
  for (const { file, pact } of pacts) {
    const messageProviders = Object.fromEntries(
      pact.interactions.map((interaction) => [
        interaction.description,
        messageFor(provider, states, expectedType(interaction.contents?.content)),
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
      results.push({ ...base, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }
  return results;
};
