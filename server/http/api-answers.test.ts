// Route handlers answer plain sentences: zod's JSON never reaches a client, a
// server error says only its fallback, and only real ids pass the id check.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LimitExceeded } from '../domain-errors';
import { apiFailure, failureAnswer, isUuid } from './api-answers';

async function read(response: Response) {
  return { status: response.status, cache: response.headers.get('cache-control'), body: (await response.json()) as { error: { message: string } } };
}

describe('route answers', () => {
  it('turns a validation failure into its own sentences, not zod JSON', async () => {
    const cause = z.object({ workspaceId: z.uuid({ error: 'Workspace is not a valid id' }), name: z.string().min(2, 'Too short') }).safeParse({ workspaceId: 'x', name: '' }).error!;
    const answer = await read(failureAnswer({ status: 400, message: JSON.stringify(cause.issues), cause }, 'failed'));
    expect(answer).toEqual({ status: 400, cache: 'no-store', body: { error: { message: 'Workspace is not a valid id; Too short' } } });
  });

  it('says only the fallback for a server error', async () => {
    const answer = await read(failureAnswer({ status: 500, message: 'Invalid `prisma.auditEvent.findMany()` invocation', cause: new Error('22008') }, 'The export failed. Try again.'));
    expect(answer.body.error.message).toBe('The export failed. Try again.');
    expect(answer.status).toBe(500);
  });

  it('keeps a domain refusal\'s message and its Retry-After', async () => {
    const cause = new LimitExceeded('Too many requests', 7);
    const response = failureAnswer({ status: 429, message: 'Too many requests', cause }, 'failed');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect((await response.json()) as unknown).toEqual({ error: { message: 'Too many requests' } });
  });

  it('accepts only uuids as ids', () => {
    expect(isUuid('1a9d81d7-7adc-4633-a9c1-38eec91044f6')).toBe(true);
    for (const bad of ['nope', '', '1a9d81d7-7adc-4633-a9c1-38eec91044f6\u0000', ' 1a9d81d7-7adc-4633-a9c1-38eec91044f6', null, 42]) expect(isUuid(bad)).toBe(false);
  });

  it('answers JSON that is never cached', async () => {
    expect(await read(apiFailure(404, 'Run not found'))).toEqual({ status: 404, cache: 'no-store', body: { error: { message: 'Run not found' } } });
  });
});
