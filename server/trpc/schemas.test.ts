import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  emailSchema,
  invitationTokenSchema,
  passwordSchema,
  personNameSchema,
  slugSchema,
  textSchema,
  workspaceNameSchema,
} from './schemas';

const name = textSchema({ label: 'Name', min: 2, max: 10 });

function outcome(schema: z.ZodType, input: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, message: result.error.issues[0]!.message };
}

describe('textSchema', () => {
  const accepted: [string, string, string][] = [
    ['plain text', 'Acme', 'Acme'],
    ['surrounding spaces, trimmed', '  Acme  ', 'Acme'],
    ['a trailing newline, trimmed', 'Acme\n', 'Acme'],
    ['decomposed accents, normalised to NFC', 'Jose\u0301', 'José'],
    ['an emoji made of a surrogate pair', 'Acme 🚀', 'Acme 🚀'],
    ['a zero-width joiner inside an emoji', '👩\u200D💻 Dev', '👩\u200D💻 Dev'],
    ['non-Latin letters', '株式会社', '株式会社'],
    ['exactly the maximum, counted in characters', '🚀'.repeat(10), '🚀'.repeat(10)],
  ];
  it.each(accepted)('accepts %s', (_what, input, expected) => {
    expect(outcome(name, input)).toEqual({ ok: true, value: expected });
  });

  const refused: [string, unknown, string][] = [
    ['a NUL byte', 'Ac\u0000me', 'Name cannot contain a NUL character'],
    ['a lone high surrogate', 'Acme\uD800', 'Name contains an incomplete character'],
    ['a lone low surrogate', '\uDC00Acme', 'Name contains an incomplete character'],
    ['a tab inside', 'Ac\tme', 'Name cannot contain line breaks, tabs or other control characters'],
    ['a line break inside', 'Ac\nme', 'Name cannot contain line breaks, tabs or other control characters'],
    ['a C1 control character', 'Ac\u0085me', 'Name cannot contain line breaks, tabs or other control characters'],
    ['a line separator inside', 'Ac\u2028me', 'Name cannot contain line breaks, tabs or other control characters'],
    ['a paragraph separator inside', 'Ac\u2029me', 'Name cannot contain line breaks, tabs or other control characters'],
    ['a right-to-left override', 'Acme\u202Etxt.exe', 'Name cannot contain text-direction control characters'],
    ['a left-to-right embedding', '\u202AAcme', 'Name cannot contain text-direction control characters'],
    ['a directional isolate', 'Ac\u2067me', 'Name cannot contain text-direction control characters'],
    ['a right-to-left mark', 'Acme\u200F', 'Name cannot contain text-direction control characters'],
    ['only zero-width spaces', '\u200B\u200B\u200B', 'Name must include at least one visible letter, digit or symbol'],
    ['only combining marks', '\u0301\u0302\u0303', 'Name must include at least one visible letter, digit or symbol'],
    ['only Hangul fillers', '\u3164\u3164', 'Name must include at least one visible letter, digit or symbol'],
    ['only spaces', '    ', 'Enter name'],
    ['an empty string', '', 'Enter name'],
    ['too short', 'A', 'Name must be at least 2 characters'],
    ['too long', 'A'.repeat(11), 'Name can be at most 10 characters'],
    ['a number', 42, 'Name must be text'],
    ['null', null, 'Name must be text'],
    ['an object', { name: 'Acme' }, 'Name must be text'],
    ['nothing at all', undefined, 'Enter name'],
  ];
  it.each(refused)('refuses %s', (_what, input, message) => {
    expect(outcome(name, input)).toEqual({ ok: false, message });
  });
});

describe('the shared input schemas', () => {
  const cases: [string, z.ZodType, unknown, { ok: true; value: unknown } | { ok: false; message: string }][] = [
    ['person name, required message', personNameSchema, ' ', { ok: false, message: 'Enter your name' }],
    ['person name, over 100', personNameSchema, 'x'.repeat(101), { ok: false, message: 'Name can be at most 100 characters' }],
    ['workspace name, over 80', workspaceNameSchema, 'x'.repeat(81), { ok: false, message: 'Workspace name can be at most 80 characters' }],
    ['workspace name, bidi', workspaceNameSchema, 'Acme\u202E', { ok: false, message: 'Workspace name cannot contain text-direction control characters' }],
    ['email, normalised', emailSchema, ' Alice@Acme.TEST ', { ok: true, value: 'alice@acme.test' }],
    ['email with NUL', emailSchema, 'alice\u0000@acme.test', { ok: false, message: 'Email cannot contain a NUL character' }],
    ['email, not an address', emailSchema, 'alice', { ok: false, message: 'Enter a valid email address' }],
    ['email, a number', emailSchema, 7, { ok: false, message: 'Email must be text' }],
    ['password with NUL', passwordSchema, 'long enough\u0000', { ok: false, message: 'Password cannot contain a NUL character' }],
    ['password, lone surrogate', passwordSchema, 'long enough\uD800', { ok: false, message: 'Password contains an incomplete character' }],
    ['password, short', passwordSchema, 'short', { ok: false, message: 'Use at least 10 characters' }],
    ['slug, normalised', slugSchema, ' Acme-2 ', { ok: true, value: 'acme-2' }],
    ['slug with NUL', slugSchema, 'ac\u0000me', { ok: false, message: 'URL cannot contain a NUL character' }],
    ['token with NUL', invitationTokenSchema, `${'x'.repeat(30)}\u0000`, { ok: false, message: 'Invitation link cannot contain a NUL character' }],
  ];
  it.each(cases)('%s', (_what, schema, input, expected) => {
    expect(outcome(schema, input)).toEqual(expected);
  });
});
