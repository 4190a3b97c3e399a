import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { catalog, PLAIN_TEXT_RULE, plainText, ProductViewedV2, type EventDefinition } from '../src';
import {
  checkRegistry,
  schemaSnapshot,
  snapshotFileOf,
  type RegistryProblemKind,
} from '../src/schema-registry';

const folder = join(__dirname, '..', 'schemas');
const committed: ReadonlyMap<string, unknown> = new Map(
  readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .map((file) => [file, JSON.parse(readFileSync(join(folder, file), 'utf8')) as unknown]),
);

const without = (...files: string[]) =>
  new Map([...committed].filter(([file]) => !files.includes(file)));
const kindsOf = (problems: readonly { kind: RegistryProblemKind }[]) => problems.map((p) => p.kind);

describe('the schema registry (contracts/schemas)', () => {
  const problems = checkRegistry(catalog, committed);

  it.each(Object.keys(catalog))(
    '%s: every version has its snapshot, the current one unchanged, and every older one an upcaster',
    (type) => {
      // The messages are what a developer reads when this fails.
      expect(problems.filter((p) => p.type === type).map((p) => p.message)).toEqual([]);
    },
  );

  it('holds no snapshot for a type or version the catalog does not have', () => {
    expect(problems.map((p) => p.message)).toEqual([]);
  });

  it('keeps ProductViewed v1 as it was published, next to the current v2', () => {
    expect(committed.get(snapshotFileOf('ProductViewed', 1))).toMatchObject({
      required: ['sessionId', 'sku'],
    });
    expect(committed.get(snapshotFileOf('ProductViewed', 2))).toEqual(
      schemaSnapshot(ProductViewedV2),
    );
  });
});

describe('the schema registry check', () => {
  const edited = (definition: Partial<EventDefinition>) => ({
    ...catalog,
    ProductViewed: { ...catalog.ProductViewed, ...definition },
  });

  it('refuses a published version edited in place', () => {
    const problems = checkRegistry(
      edited({ schema: ProductViewedV2.extend({ referrer: z.string() }) }),
      committed,
    );
    expect(kindsOf(problems)).toEqual(['changed']);
    expect(problems[0]?.message).toMatch(
      /ProductViewed v2 no longer matches its snapshot contracts\/schemas\/ProductViewed\.v2\.json.*a changed schema needs a new version: bump `version` in catalog\.ts to 3, keep the old schema as the snapshot, and add an upcaster from v2/is,
    );
  });

  it('refuses a tightened refinement too, as long as JSON Schema can say it', () => {
    const tightened = ProductViewedV2.extend({ sku: z.string().min(1).max(32) });
    expect(kindsOf(checkRegistry(edited({ schema: tightened }), committed))).toEqual(['changed']);
  });

  it('asks for the snapshot of a version that has none', () => {
    const problems = checkRegistry(catalog, without('ProductViewed.v2.json'));
    expect(kindsOf(problems)).toEqual(['missing-current']);
    expect(problems[0]?.message).toBe(
      'ProductViewed v2 has no snapshot contracts/schemas/ProductViewed.v2.json: run npm run contracts:snapshot and commit it',
    );
  });

  it('refuses to lose an old version’s snapshot', () => {
    const problems = checkRegistry(catalog, without('ProductViewed.v1.json'));
    expect(kindsOf(problems)).toEqual(['missing-old']);
    expect(problems[0]?.message).toMatch(/ProductViewed v1 has no snapshot.*stay forever/);
  });

  it('refuses a version below the current without an upcaster', () => {
    const problems = checkRegistry(edited({ upcasters: {} }), committed);
    expect(kindsOf(problems)).toEqual(['missing-upcaster']);
    expect(problems[0]?.message).toMatch(
      /ProductViewed has no upcaster from v1.*add upcasters\[1\] in catalog\.ts/,
    );
  });

  it('refuses a snapshot ahead of the catalog or for a type it does not have', () => {
    const extra = new Map([
      ...committed,
      ['ProductViewed.v3.json', {}],
      ['ProductSniffed.v1.json', {}],
    ]);
    expect(kindsOf(checkRegistry(catalog, extra))).toEqual(['ahead', 'unknown-type']);
  });
});

describe('schema snapshots', () => {
  it('are deterministic, and ignore the order of an object’s fields', () => {
    const a = z.object({ at: z.iso.datetime(), id: z.string().regex(/^[a-z]+$/) });
    const b = z.object({ id: z.string().regex(/^[a-z]+$/), at: z.iso.datetime() });
    expect(schemaSnapshot(a)).toEqual(schemaSnapshot(a));
    expect(schemaSnapshot(a)).toEqual(schemaSnapshot(b));
    expect(schemaSnapshot(a)).toMatchObject({
      properties: { at: { format: 'date-time' }, id: { pattern: '^[a-z]+$' } },
    });
  });

  it('show the plain-text rule, which JSON Schema cannot express, as its description', () => {
    expect(schemaSnapshot(z.object({ name: plainText(z.string().max(10)) }))).toMatchObject({
      properties: { name: { type: 'string', maxLength: 10, description: PLAIN_TEXT_RULE } },
    });
  });

  it('leave out a refinement that names itself nowhere (so it cannot be seen changing)', () => {
    const refined = z.string().refine((text) => text.length % 2 === 0);
    expect(schemaSnapshot(refined)).toEqual(schemaSnapshot(z.string()));
  });
});
