// Domain errors become tRPC codes in one place; a refusal about one field is
// reported as that field's error, so forms can show it beside the field.
import { ZodError, z } from 'zod';
import { describe, expect, it } from 'vitest';
import { Conflict, InvalidInput, LimitExceeded, NotFound } from '../domain-errors';
import { toTRPCError } from './error-mapping';

describe('toTRPCError', () => {
  it.each([
    [new NotFound('x'), 'NOT_FOUND'],
    [new Conflict('x'), 'CONFLICT'],
    [new LimitExceeded('x'), 'TOO_MANY_REQUESTS'],
    [new InvalidInput('x'), 'BAD_REQUEST'],
  ])('%s → %s', (error, code) => {
    expect(toTRPCError(error).code).toBe(code);
  });

  it('reports an InvalidInput about a field as a schema error on that field', () => {
    const error = toTRPCError(new InvalidInput('That is not your current password', 'currentPassword'));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.cause).toBeInstanceOf(ZodError);
    expect(z.flattenError(error.cause as ZodError).fieldErrors).toEqual({ currentPassword: ['That is not your current password'] });
  });
});
