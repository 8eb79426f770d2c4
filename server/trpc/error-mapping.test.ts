// Each domain error becomes its tRPC code with the user-facing message intact;
// a refusal about one field is reported as that field's error, so forms can show it beside the field.
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { describe, expect, it } from 'vitest';
import { ZodError, z } from 'zod';
import { Conflict, Forbidden, InvalidInput, LimitExceeded, NotFound, PolicyViolation, UpstreamFailure } from '../domain-errors';
import { toTRPCError } from './error-mapping';

describe('domain error mapping', () => {
  it.each([
    [new NotFound('x'), 'NOT_FOUND', 404],
    [new Forbidden('x'), 'FORBIDDEN', 403],
    [new Conflict('x'), 'CONFLICT', 409],
    [new LimitExceeded('x'), 'TOO_MANY_REQUESTS', 429],
    [new PolicyViolation('x'), 'FORBIDDEN', 403],
    [new InvalidInput('x'), 'BAD_REQUEST', 400],
    [new UpstreamFailure('The request to https://api.example.com timed out after 10000 ms.', 'timeout'), 'BAD_GATEWAY', 502],
  ])('%s → %s', (error, code, status) => {
    const mapped = toTRPCError(error);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toBe(error.message);
    expect(getHTTPStatusCodeFromError(mapped)).toBe(status);
  });

  it('reports an InvalidInput about a field as a schema error on that field', () => {
    const error = toTRPCError(new InvalidInput('That is not your current password', 'currentPassword'));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.cause).toBeInstanceOf(ZodError);
    expect(z.flattenError(error.cause as ZodError).fieldErrors).toEqual({ currentPassword: ['That is not your current password'] });
  });
});
