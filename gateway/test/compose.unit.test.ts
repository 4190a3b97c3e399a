import { readFileSync } from 'node:fs';
import { CompositionFailed, composeSupergraph, readSubgraphs } from '../src/compose';
import { defaultManifestPath, defaultSupergraphPath } from '../src/paths';

const subgraph = (name: string, sdl: string) => ({ name, url: `http://${name}/graphql`, sdl });
const federation =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\n';

describe('the supergraph', () => {
  it('is checked in exactly as the subgraph schemas compose (run `npm run compose` if not)', () => {
    const composed = composeSupergraph(readSubgraphs(defaultManifestPath));
    expect(readFileSync(defaultSupergraphPath, 'utf8')).toBe(composed);
  });

  it('fails with every composition error when subgraphs disagree', () => {
    const conflicting = [
      subgraph(
        'a',
        `${federation}type Query { a: Thing } type Thing @key(fields: "id") { id: ID! size: Int }`,
      ),
      subgraph(
        'b',
        `${federation}type Query { b: Thing } type Thing @key(fields: "id") { id: ID! size: String }`,
      ),
    ];
    expect(() => composeSupergraph(conflicting)).toThrow(CompositionFailed);
    expect(() => composeSupergraph(conflicting)).toThrow(/size/);
  });
});
