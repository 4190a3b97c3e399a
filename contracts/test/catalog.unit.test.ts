import { catalog, streams, subjectOf } from '../src';

describe('the event catalog', () => {
  it.each(Object.entries(catalog))('%s can upgrade every older version', (_type, definition) => {
    for (let version = 1; version < definition.version; version++) {
      expect(definition.upcasters).toHaveProperty(String(version));
    }
  });

  it.each(Object.keys(catalog) as (keyof typeof catalog)[])(
    '%s lives on a subject its context stream captures',
    (type) => {
      const subject = subjectOf(type, 'id-1');
      const stream = streams[catalog[type].context];
      expect(stream.subjects.some((pattern) => subject.startsWith(pattern.replace('>', '')))).toBe(
        true,
      );
    },
  );
});
