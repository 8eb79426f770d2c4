// Server-sent events of one run (server/http/run-event-stream.ts): it reads the
// run's rows through the runs.get and runs.streamed procedures, so the same session
// and workspace checks apply, and it follows runs executed by any worker process.
// A reconnect with Last-Event-ID resumes after the last text it got. A run of
// another workspace, or an id that is not one, is 404. The session is checked again
// while the stream lasts. A connection lasts at most five minutes; EventSource reconnects.
import { parseCursor } from '@/server/agents/streamed-text';
import { apiFailure, isUuid } from '@/server/http/api-answers';
import { procedureFailure, statusOf } from '@/server/trpc/route-failure';
import { runEventStream } from '@/server/http/run-event-stream';
import { activeSessionAccount } from '@/server/tenancy/sessions';
import { currentSessionUser } from '@/server/tenancy/session-user';
import { createContext } from '@/server/trpc/context';
import { createCaller } from '@/server/trpc/root';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const url = new URL(request.url);
  const workspaceId = url.searchParams.get('workspaceId');
  const user = await currentSessionUser();
  if (!user) return apiFailure(401, 'Sign in to continue');
  if (!isUuid(workspaceId) || !isUuid(runId)) return apiFailure(404, 'Run not found');
  // The connection counts once against the workspace's API requests per minute; its polls do not.
  const caller = createCaller(createContext(user));
  // Something that is not a cursor means "from the start": the client then only sees text again, never a gap.
  const resumeFrom = parseCursor(request.headers.get('last-event-id') ?? url.searchParams.get('after'));
  let first;
  try {
    first = await createCaller(createContext(user, undefined, { apiRequest: true })).runs.get({ workspaceId, runId });
  } catch (error) {
    // A member whose role cannot read runs learns no more than a stranger.
    if ([400, 403, 404].includes(statusOf(error))) return apiFailure(404, 'Run not found');
    return procedureFailure(error, 'Something went wrong. Try again.');
  }
  const stream = runEventStream({
    first,
    read: () => caller.runs.get({ workspaceId, runId }),
    readStreamed: (fromStep, after) => caller.runs.streamed({ workspaceId, runId, fromStep, after }),
    sessionLive: async () => (await activeSessionAccount(user.sessionId, user.id)) !== null,
    resumeFrom,
    signal: request.signal,
  });
  return new Response(stream, { headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store, no-transform', Connection: 'keep-alive' } });
}
