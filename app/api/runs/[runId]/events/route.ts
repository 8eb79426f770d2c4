// Server-sent events of one run: `status` when the run's state changes, `step` for
// each step as it is written, `end` when the run is finished. It reads the run's
// rows (through the same runs.get procedure, so the same session and workspace
// checks), so it follows runs executed by any worker process. A run of another
// workspace is 404. A connection lasts at most five minutes; EventSource reconnects.
import { TRPCError } from '@trpc/server';
import { serverCaller } from '@/server/trpc/server-caller';

export const dynamic = 'force-dynamic';

const POLL_MS = 200;
const MAX_CONNECTION_MS = 5 * 60_000;

export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const workspaceId = new URL(request.url).searchParams.get('workspaceId') ?? '';
  const caller = await serverCaller();
  const read = () => caller.runs.get({ workspaceId, runId });
  let first;
  try {
    first = await read();
  } catch (error) {
    const code = error instanceof TRPCError ? error.code : 'INTERNAL_SERVER_ERROR';
    const status = code === 'UNAUTHORIZED' ? 401 : code === 'NOT_FOUND' || code === 'BAD_REQUEST' || code === 'FORBIDDEN' ? 404 : 500;
    return Response.json({ error: status === 401 ? 'Sign in first' : status === 404 ? 'Run not found' : 'Something went wrong' }, { status });
  }

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: string, data: unknown) => controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      const started = Date.now();
      let run = first;
      let status = '';
      let sentSteps = 0;
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
