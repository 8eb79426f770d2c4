'use server';
// Starting a run from the UI: a server action that calls the runs.start procedure
// in-process, so it passes the same membership and scope checks and reaches the
// same domain function (startRun) as the tRPC API. It only enqueues the run.
import { TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { serverCaller } from '@/server/trpc/server-caller';

/** endUser and threadId: the conversation the next message continues (threadId null: a new thread). */
export type StartRunState = { runId: string | null; error: string | null; input: string; endUser: string; threadId: string | null };

export async function startRunAction(_previous: StartRunState, form: FormData): Promise<StartRunState> {
  const input = String(form.get('input') ?? '');
  const endUser = String(form.get('endUser') ?? '').trim();
  const threadId = (endUser && String(form.get('threadId') ?? '')) || null;
  try {
    const caller = await serverCaller();
    const run = await caller.runs.start({
      workspaceId: String(form.get('workspaceId') ?? ''),
      agentId: String(form.get('agentId') ?? ''),
      input,
      idempotencyKey: String(form.get('idempotencyKey') ?? '') || undefined,
      endUser: endUser || undefined,
      threadId: threadId ?? undefined,
    });
    return { runId: run.id, error: null, input: '', endUser, threadId: run.threadId };
  } catch (error) {
    return { runId: null, error: messageOf(error), input, endUser, threadId };
  }
}

const FIELD_NAMES: Record<string, string> = { input: 'Message', endUser: 'End user' };

function messageOf(error: unknown): string {
  if (error instanceof TRPCError) {
    if (error.cause instanceof ZodError) {
      const issue = error.cause.issues[0];
      if (!issue) return 'Check the message and try again.';
      const field = FIELD_NAMES[String(issue.path[0])];
      return field ? `${field}: ${issue.message}` : issue.message;
    }
    if (error.code === 'UNAUTHORIZED') return 'Sign in again to run agents.';
    if (error.code !== 'INTERNAL_SERVER_ERROR') return error.message;
  }
  return 'The run could not be started. Try again.';
}
