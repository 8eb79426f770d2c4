import { describe, expect, it } from 'vitest';
import { storable, storableText } from './storable-text';

describe('storableText', () => {
  it.each([
    ['NUL', 'a\u0000b', 'a\uFFFDb'],
    ['a lone high surrogate', 'a\uD800b', 'a\uFFFDb'],
    ['a lone low surrogate', '\uDC00b', '\uFFFDb'],
    ['a high surrogate at the end', 'ab\uD83D', 'ab\uFFFD'],
  ])('replaces %s with U+FFFD', (_what, input, expected) => {
    expect(storableText(input)).toBe(expected);
  });

  it('leaves paired surrogates, control characters and plain text alone', () => {
    for (const text of ['rocket 🚀', 'tab\tand\nline', 'plain', '']) expect(storableText(text)).toBe(text);
  });
});

describe('storable', () => {
  it('cleans every string however deep, keys included, and keeps other values', () => {
    const when = new Date(0);
    expect(storable({ a: ['x\u0000', { 'k\u0000': 'v\uD800' }], n: 1, b: true, z: null, when })).toEqual({
      a: ['x\uFFFD', { 'k\uFFFD': 'v\uFFFD' }],
      n: 1,
      b: true,
      z: null,
      when,
    });
  });

  it('stores what Postgres accepts in jsonb: no \\u0000 escape and no lone surrogate escape', () => {
    const json = JSON.stringify(storable({ text: 'a\u0000b\uDC00' }));
    expect(json).not.toMatch(/\\u0000|\\udc00/i);
  });
});
