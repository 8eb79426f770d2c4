// What the app's own route handlers (uploads, downloads, exports, run events)
// answer when a procedure they called failed: its HTTP status and, through
// failureAnswer(), its own sentences, or only the route's fallback for a fault.
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { failureAnswer } from '../http/api-answers';

/** The HTTP status a procedure's error stands for (500 for anything that is not a tRPC error). */
export function statusOf(error: unknown): number {
  return error instanceof TRPCError ? getHTTPStatusCodeFromError(error) : 500;
}

export function procedureFailure(error: unknown, fallback: string): Response {
  return failureAnswer(
    { status: statusOf(error), message: error instanceof Error ? error.message : '', cause: error instanceof TRPCError ? error.cause : undefined },
    fallback,
  );
}
