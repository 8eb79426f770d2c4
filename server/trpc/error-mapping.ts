// The one place domain errors become tRPC codes (and, through tRPC, HTTP statuses).
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  Conflict,
  DomainError,
  Forbidden,
  InvalidInput,
  LimitExceeded,
  NotFound,
  PolicyViolation,
  UpstreamFailure,
} from '../domain-errors';

type Code = TRPCError['code'];

const CODES: [new (...args: never[]) => DomainError, Code][] = [
  [NotFound, 'NOT_FOUND'],
  [Forbidden, 'FORBIDDEN'],
  [Conflict, 'CONFLICT'],
  [LimitExceeded, 'TOO_MANY_REQUESTS'],
  [PolicyViolation, 'FORBIDDEN'],
  [InvalidInput, 'BAD_REQUEST'],
  [UpstreamFailure, 'BAD_GATEWAY'],
];

export function toTRPCError(error: DomainError): TRPCError {
  // A domain refusal about one field is reported like a schema error on it, so forms show it beside the field.
  if (error instanceof InvalidInput && error.field) return fieldError([error.field], error.message);
  const code = CODES.find(([type]) => error instanceof type)?.[1] ?? 'INTERNAL_SERVER_ERROR';
  return new TRPCError({ code, message: error.message, cause: error });
}

/** A 400 about the input at `path`, shaped like a schema error so forms show it beside that field. */
export function fieldError(path: (string | number)[], message: string): TRPCError {
  // Made by a failing parse (not `new ZodError`), so it is a real Error that tRPC keeps as the cause.
  const cause = z
    .unknown()
    .superRefine((_, ctx) => ctx.addIssue({ code: 'custom', path, message }))
    .safeParse(null).error;
  return new TRPCError({ code: 'BAD_REQUEST', message, cause });
}
