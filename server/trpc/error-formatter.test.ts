// What the tRPC endpoint answers to requests it cannot read: a 400 saying
// "Invalid request body", never the parser's or transformer's own words; zod
// field messages still reach the form. Requests go through tRPC's fetch
// adapter, as the route does; none of them gets as far as the database.
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { describe, expect, it } from 'vitest';
import { createContext } from './context';
import { INVALID_BODY } from './init';
import { appRouter } from './root';

async function post(body: string) {
  const req = new Request('http://localhost/api/trpc/account.signUp', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  const res = await fetchRequestHandler({ endpoint: '/api/trpc', req, router: appRouter, createContext: () => createContext(null, undefined) });
  const text = await res.text();
  const error = (JSON.parse(text) as { error: { json: { message: string; data: { fieldErrors: Record<string, string[]> | null } } } }).error.json;
  return { status: res.status, text, message: error.message, fieldErrors: error.data.fieldErrors };
}

const valid = { email: 'someone@example.test', name: 'Someone', password: 'long enough password' };

describe('the error formatter', () => {
  const unreadable: [string, string][] = [
    ['a null body', 'null'],
    ['a JSON string', '"hello"'],
    ['an array', '[]'],
    ['malformed JSON', '{"json": '],
    ['superjson meta naming an unknown class', JSON.stringify({ json: valid, meta: { values: { name: [['class', 'Evil']] } } })],
    ['superjson meta of the wrong shape', JSON.stringify({ json: valid, meta: { values: 'zzz' } })],
    ['deeply nested superjson meta', `{"json":${JSON.stringify(valid)},"meta":{"values":${'['.repeat(50_000)}${']'.repeat(50_000)}}}`],
  ];
  it.each(unreadable)('answers %s with a plain 400', async (_what, body) => {
    const answer = await post(body);
    expect(answer.status).toBe(400);
    expect(answer.message).toBe(INVALID_BODY);
    expect(answer.text).not.toMatch(/destructure|call stack|superjson|Unexpected|TypeError|at \//i);
  });

  it('keeps field messages written for people', async () => {
    const answer = await post(JSON.stringify({ json: { ...valid, name: 'x\u202Ey', email: 'nope' } }));
    expect(answer.status).toBe(400);
    expect(answer.fieldErrors).toEqual({ name: ['Name cannot contain text-direction control characters'], email: ['Enter a valid email address'] });
    expect(answer.message).toBe('email: Enter a valid email address; name: Name cannot contain text-direction control characters');
  });

  it('refuses a NUL anywhere in the input as a field error before the schema runs', async () => {
    const answer = await post(JSON.stringify({ json: { ...valid, name: 'x\u0000y', email: 'nope' } }));
    expect(answer.status).toBe(400);
    expect(answer.fieldErrors).toEqual({ name: ['Name cannot contain a NUL character'] });
    expect(answer.message).toBe('Name cannot contain a NUL character');
  });
});
