import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { EventDefinition } from './catalog';

/*
 * The schema registry: every version of every event type, as JSON Schema, committed in
 * contracts/schemas/. A published version describes events already in the log, so its schema is
 * never edited in place: a change is a new version with an upcaster from the old one, and the old
 * snapshot stays for good.
 */

/** The folder, relative to contracts/, that holds the snapshots. */
export const SNAPSHOT_FOLDER = 'schemas';

export const snapshotFileOf = (type: string, version: number) => `${type}.v${version}.json`;

const SNAPSHOT_FILE = /^(?<type>[A-Za-z0-9]+)\.v(?<version>[1-9][0-9]*)\.json$/;

/** Reads a snapshot's file name back, or undefined when it is not one. */
export const parseSnapshotFile = (file: string): { type: string; version: number } | undefined => {
  const match = SNAPSHOT_FILE.exec(file)?.groups;
  return match?.type && match.version
    ? { type: match.type, version: Number(match.version) }
    : undefined;
};

/** Only field order in `required` says nothing: reordering an object's fields is no change. */
const canonical = (json: unknown): unknown => {
  if (Array.isArray(json)) return json.map(canonical);
  if (typeof json !== 'object' || json === null) return json;
  return Object.fromEntries(
    Object.entries(json).map(([key, value]) => [
      key,
      key === 'required' && Array.isArray(value)
        ? [...(value as string[])].sort()
        : canonical(value),
    ]),
  );
};

/**
 * A schema as JSON Schema. Refinements (such as `plainText`) have no JSON Schema form: zod leaves
 * them out, so they only show where the schema names them in its metadata (`plainText` does).
 */
export const schemaSnapshot = (schema: z.ZodType): unknown =>
  canonical(z.toJSONSchema(schema, { unrepresentable: 'throw' }));

/** The file's text: what `npm run contracts:snapshot` writes (prettier then formats it). */
export const snapshotText = (schema: z.ZodType) =>
  `${JSON.stringify(schemaSnapshot(schema), null, 2)}\n`;

export type RegistryProblemKind =
  'changed' | 'missing-current' | 'missing-old' | 'missing-upcaster' | 'ahead' | 'unknown-type';

export interface RegistryProblem {
  readonly type: string;
  readonly version: number;
  readonly kind: RegistryProblemKind;
  readonly message: string;
}

const at = (type: string, version: number) =>
  `contracts/${SNAPSHOT_FOLDER}/${snapshotFileOf(type, version)}`;

/**
 * Checks the catalog against the committed snapshots (file name to parsed JSON): the current
 * version of each type matches its snapshot, every older version has one and an upcaster, and no
 * snapshot names a type or version the catalog does not know.
 */
export const checkRegistry = (
  catalog: Readonly<Record<string, EventDefinition>>,
  snapshots: ReadonlyMap<string, unknown>,
): RegistryProblem[] => {
  const problems: RegistryProblem[] = [];
  const problem = (type: string, version: number, kind: RegistryProblemKind, message: string) =>
    problems.push({ type, version, kind, message });

  for (const [type, definition] of Object.entries(catalog)) {
    const { version } = definition;
    const committed = snapshots.get(snapshotFileOf(type, version));
    if (committed === undefined) {
      problem(
        type,
        version,
        'missing-current',
        `${type} v${version} has no snapshot ${at(type, version)}: run npm run contracts:snapshot and commit it`,
      );
    } else if (!isDeepStrictEqual(canonical(committed), schemaSnapshot(definition.schema))) {
      problem(
        type,
        version,
        'changed',
        `${type} v${version} no longer matches its snapshot ${at(type, version)}, and a published ` +
          `version is never edited in place (its events are already in the log). A changed schema ` +
          `needs a new version: bump \`version\` in catalog.ts to ${version + 1}, keep the old ` +
          `schema as the snapshot, and add an upcaster from v${version}`,
      );
    }
    for (let old = 1; old < version; old++) {
      if (!snapshots.has(snapshotFileOf(type, old))) {
        problem(
          type,
          old,
          'missing-old',
          `${type} v${old} has no snapshot ${at(type, old)}: old versions' snapshots stay forever ` +
            `(they describe events already in the log); restore it from git history`,
        );
      }
      if (typeof definition.upcasters[old] !== 'function') {
        problem(
          type,
          old,
          'missing-upcaster',
          `${type} has no upcaster from v${old}: a v${old} event in the log could not be read; ` +
            `add upcasters[${old}] in catalog.ts, turning v${old} data into v${old + 1}`,
        );
      }
    }
  }

  for (const file of snapshots.keys()) {
    const parsed = parseSnapshotFile(file);
    const definition = parsed && Object.hasOwn(catalog, parsed.type) && catalog[parsed.type];
    if (!parsed) {
      problem(
        file,
        0,
        'unknown-type',
        `contracts/${SNAPSHOT_FOLDER}/${file} is not <Type>.v<N>.json`,
      );
    } else if (!definition) {
      problem(
        parsed.type,
        parsed.version,
        'unknown-type',
        `${at(parsed.type, parsed.version)} names no event type in catalog.ts: its events may ` +
          `still be in the log, so a published type stays in the catalog`,
      );
    } else if (parsed.version > definition.version) {
      problem(
        parsed.type,
        parsed.version,
        'ahead',
        `${at(parsed.type, parsed.version)} is ahead of ${parsed.type}'s version in catalog.ts ` +
          `(v${definition.version}): a version, once published, is never taken back`,
      );
    }
  }
  return problems;
};
