// The one place domain errors become tRPC codes (and, through tRPC, HTTP statuses).
import { TRPCError } from '@trpc/server';
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
  const code = CODES.find(([type]) => error instanceof type)?.[1] ?? 'INTERNAL_SERVER_ERROR';
  return new TRPCError({ code, message: error.message, cause: error });
}
