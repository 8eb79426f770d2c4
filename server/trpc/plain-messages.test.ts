import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import './schemas';

const first = (schema: z.ZodType, input: unknown) => schema.safeParse(input).error?.issues[0]?.message;

describe('messages of limits a schema states without words of its own', () => {
  it.each<[string, z.ZodType, unknown, string]>([
    ['a string over its maximum', z.string().max(80), 'x'.repeat(81), 'Can be at most 80 characters'],
    ['a string under its minimum', z.string().min(3), 'ab', 'Use at least 3 characters'],
    ['an empty required string', z.string().min(1), '', 'Cannot be empty'],
    ['a number over its maximum', z.number().max(10_000), 99_999, 'Must be at most 10000'],
    ['a number not above a strict minimum', z.number().positive(), 0, 'Must be more than 0'],
    ['a list over its maximum', z.array(z.string()).max(2), ['a', 'b', 'c'], 'At most 2 items'],
    ['a number sent as text', z.number(), '5', 'Enter a number'],
    ['a missing field', z.object({ a: z.string() }), {}, 'Required'],
    ['an invalid date', z.coerce.date(), 'not a date', 'Enter a valid date'],
    ['an unknown option', z.enum(['soft', 'hard']), 'medium', 'Choose one of: soft, hard'],
    ['a malformed email', z.string().email(), 'nope', 'Enter a valid email address'],
    ['a malformed id', z.string().uuid(), 'nope', 'Not a valid id'],
  ])('%s', (_what, schema, input, expected) => {
    expect(first(schema, input)).toBe(expected);
  });

  it("keeps a schema's own message", () => {
    expect(first(z.string().max(3, 'Keep it short'), 'abcd')).toBe('Keep it short');
  });
});
