// Bad text never reaches a handler, whichever procedure it is sent to: every
// procedure (enumerated from the router, so later ones are covered too) refuses
// a NUL byte or a lone surrogate in any of its string fields with a 400 that
// names the field, and every field that names something (`name`, `fileName`)
// refuses control, bidirectional and invisible-only text the same way.
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { listing, procedures, sampleInput, type Procedure } from '../testing/procedure-calls';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import { createContext, type SessionUser } from './context';
import { createCaller } from './root';

type Answer = { code: TRPCError['code'] | 'OK'; message: string; fields: string[] };

/** Calls `path` as `user` and reports the code, the message and the fields a 400 names. */
async function answer(user: SessionUser, path: string, input: unknown): Promise<Answer> {
  let target: unknown = createCaller(createContext(user));
  for (const segment of path.split('.')) target = (target as Record<string, unknown>)[segment];
  try {
    await (target as (input: unknown) => Promise<unknown>)(input);
    return { code: 'OK', message: '', fields: [] };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const issues = error.cause instanceof ZodError ? error.cause.issues : [];
    return { code: error.code, message: error.message, fields: issues.map((i) => i.path.join('.')) };
  }
}

let db: TestDatabase;
let a: SeededTenant;

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a } = await seedTwoWorkspaces());
});
afterAll(async () => db.stop());

/** A valid-looking input for `p` in A's workspace (entity ids are fresh: parsing happens before any look-up). */
function inputFor(p: Procedure): Record<string, unknown> {
  const ids = Object.fromEntries(p.fields().filter((f) => f.name.endsWith('Id')).map((f) => [f.name, randomUUID()]));
  return sampleInput(p, { ...ids, workspaceId: a.workspace.id });
}

const textFields = (p: Procedure) => p.fields().filter((f) => f.type === 'string' && !f.name.endsWith('Id')).map((f) => f.name);

describe('input hygiene across every procedure', () => {
  const bad: [string, string, string][] = [
    ['a NUL byte', 'a\u0000b', 'cannot contain a NUL character'],
    ['a lone surrogate', 'a\uD800b', 'contains an incomplete character'],
  ];

  it.each(bad)('refuses %s in every string field of every procedure, naming the field', async (_what, value, expected) => {
    const problems: string[] = [];
    let checked = 0;
    for (const p of procedures) {
      for (const field of textFields(p)) {
        checked += 1;
        const got = await answer(a.owner, p.path, { ...inputFor(p), [field]: value });
        if (got.code !== 'BAD_REQUEST' || !got.message.includes(expected) || !got.fields.includes(field)) {
          problems.push(`${p.path}.${field}: ${got.code} "${got.message}" fields [${got.fields.join(', ')}]`);
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(problems, listing('Procedures that let the text through or answered unclearly', problems)).toEqual([]);
  });

  it.each(bad)('refuses %s nested in lists, maps and keys before any handler runs', async (_what, value, expected) => {
    const nested: [string, Record<string, unknown>, string][] = [
      ['approvals.saveRules', { workspaceId: a.workspace.id, costAboveUsd: null, tools: ['ok', value], expiresAfterMinutes: 60 }, 'tools.1'],
      ['tools.create', { workspaceId: a.workspace.id, headers: { 'X-Ok': value } }, 'headers.X-Ok'],
      ['tools.create', { workspaceId: a.workspace.id, parameters: { [`k${value}`]: 1 } }, 'parameters'],
      // Even a field the procedure does not declare (zod would drop it silently) is refused.
      ['account.me', { extra: { deeper: [value] } }, 'extra.deeper.0'],
    ];
    for (const [path, input, field] of nested) {
      const got = await answer(a.owner, path, input);
      expect({ path, code: got.code, fields: got.fields }).toEqual({ path, code: 'BAD_REQUEST', fields: [field] });
      expect(got.message).toContain(expected);
    }
  });

  it('refuses input nested deeper than any form sends', async () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100; i += 1) deep = { d: deep };
    const got = await answer(a.owner, 'account.me', { deep });
    expect(got.code).toBe('BAD_REQUEST');
    expect(got.message).toContain('nested more than 64 levels');
  });
});

describe('names across every procedure', () => {
  const nameFields = () =>
    procedures.flatMap((p) => textFields(p).filter((f) => f === 'name' || f === 'fileName').map((field) => ({ p, field })));

  const deceptive: [string, string][] = [
    ['a right-to-left override', 'invoice\u202Etxt.exe'],
    ['a bell control character', 'bell\u0007name'],
    ['a line separator', 'two\u2028lines'],
    ['only invisible and combining characters', '\u200B\u0301\u200D'],
  ];

  it.each(deceptive)('refuses %s in every name field with a field error', async (_what, value) => {
    const fields = nameFields();
    expect(fields.length).toBeGreaterThanOrEqual(12);
    const problems: string[] = [];
    for (const { p, field } of fields) {
      const got = await answer(a.owner, p.path, { ...inputFor(p), [field]: value });
      if (got.code !== 'BAD_REQUEST' || !got.fields.includes(field)) {
        problems.push(`${p.path}.${field}: ${got.code} "${got.message}" fields [${got.fields.join(', ')}]`);
      }
    }
    expect(problems, listing('Name fields that accept deceptive text', problems)).toEqual([]);
  });

  it('stores names normalised to NFC', async () => {
    const caller = createCaller(createContext(a.owner));
    await caller.knowledge.create({ workspaceId: a.workspace.id, name: 'Cafe\u0301 notes' });
    const names = (await caller.knowledge.list({ workspaceId: a.workspace.id })).map((base) => base.name);
    expect(names).toContain('Caf\u00e9 notes');
    expect(names).not.toContain('Cafe\u0301 notes');
  });
});
