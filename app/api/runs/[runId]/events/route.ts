// Server-sent events of one run: `status` when the run's state changes, `step` for
// each step as it is written, `delta` for the text a model step streams before its
// step is written (id: a stream cursor, so a reconnect with Last-Event-ID resumes
// after the last text it got), `end` when the run is finished. It reads the run's
// rows (through the runs.get and runs.streamed procedures, so the same session and
// workspace checks), so it follows runs executed by any worker process. A run of
// another workspace is 404. A connection lasts at most five minutes; EventSource reconnects.
import { TRPCError } from '@trpc/server';
import { cursorText, parseCursor } from '@/server/agents/streamed-text';
import { retryAfterHeaders } from '@/server/http/retry-after';
import { serverCaller } from '@/server/trpc/server-caller';

export const dynamic = 'force-dynamic';

const POLL_MS = 200;
const MAX_CONNECTION_MS = 5 * 60_000;

export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const url = new URL(request.url);
  const workspaceId = url.searchParams.get('workspaceId') ?? '';
  // The connection counts once against the workspace's API requests per minute; its polls do not.
  const caller = await serverCaller();
  const read = () => caller.runs.get({ workspaceId, runId });
  const readStreamed = (fromStep: number, after: string | undefined) => caller.runs.streamed({ workspaceId, runId, fromStep, after });
  // Something that is not a cursor means "from the start": the client then only sees text again, never a gap.
  const resumeFrom = parseCursor(request.headers.get('last-event-id') ?? url.searchParams.get('after'));
  let first;
  try {
    first = await (await serverCaller({ apiRequest: true })).runs.get({ workspaceId, runId });
  } catch (error) {
    const code = error instanceof TRPCError ? error.code : 'INTERNAL_SERVER_ERROR';
    if (code === 'TOO_MANY_REQUESTS') {
      return Response.json({ error: (error as TRPCError).message }, { status: 429, headers: retryAfterHeaders([(error as TRPCError).cause]) });
    }
    const status = code === 'UNAUTHORIZED' ? 401 : code === 'NOT_FOUND' || code === 'BAD_REQUEST' || code === 'FORBIDDEN' ? 404 : 500;
    return Response.json({ error: status === 401 ? 'Sign in first' : status === 404 ? 'Run not found' : 'Something went wrong' }, { status });
  }

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: string, data: unknown, id?: string) =>
        controller.enqueue(encoder.encode(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      const started = Date.now();
      let run = first;
      let status = '';
      let sentSteps = 0;
      let cursor = resumeFrom ? cursorText(resumeFrom) : undefined;
      try {
        for (;;) {
          for (const step of run.steps.slice(sentSteps)) send('step', step);
          sentSteps = Math.max(sentSteps, run.steps.length);
          if (run.status !== status || run.cancelRequested) {
            status = run.status;
            send('status', { status: run.status, output: run.output, error: run.error, totals: run.totals, cancelRequested: run.cancelRequested });
          }
          if (run.finishedAt) {
            send('end', { status: run.status });
            break;
          }
          if (run.status === 'running') {
            for (const delta of await readStreamed(run.steps.length, cursor)) {
              send('delta', { stepIndex: delta.stepIndex, streamId: delta.streamId, text: delta.text }, delta.cursor);
              cursor = delta.cursor;
            }
          }
          if (request.signal.aborted || Date.now() - started > MAX_CONNECTION_MS) break;
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          run = await read();
        }
      } catch {
        send('error', { message: 'The run could not be read.' });
      }
      controller.close();
    },
  });
  return new Response(stream, { headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive' } });
}
