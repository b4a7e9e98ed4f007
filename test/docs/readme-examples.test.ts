import { readFileSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/schema/index.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const examples = [...README.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('README examples', () => {
  it('has GraphQL examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(examples.map((text) => [text.split('\n', 1)[0]!, text]))(
    '%s is valid against the schema',
    (_, text) => {
      expect(validate(buildSchema(), parse(text)).map((e) => e.message)).toEqual([]);
    },
  );
});
