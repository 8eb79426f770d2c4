// The server-sent events of one run, as a stream: `step` for each step as it is
// written, `status` when the run's state changes, `delta` for text a model step
// streams before its step is written (id: a stream cursor), `end` when the run is
// finished. The session is checked again while the stream lasts, so signing out
// (or any revocation) ends it within SESSION_CHECK_MS, as it ends every request.
import { cursorText, type StreamCursor } from '../agents/streamed-text';

type RunState = {
  status: string;
  steps: readonly unknown[];
  finishedAt: Date | null;
  cancelRequested: boolean;
  output: unknown;
  error: unknown;
  totals: unknown;
};
type Delta = { stepIndex: number; streamId: number; text: string; cursor: string };

export type RunEventSource<R extends RunState> = {
  /** The run as first read (the caller answered 401/404 before the stream when it could not). */
  first: R;
  read: () => Promise<R>;
  readStreamed: (fromStep: number, after: string | undefined) => Promise<Delta[]>;
  /** Whether the session that opened the stream is still live. */
  sessionLive: () => Promise<boolean>;
  resumeFrom: StreamCursor | null;
  signal: AbortSignal;
  pollMs?: number;
  sessionCheckMs?: number;
  maxConnectionMs?: number;
};

export const SESSION_CHECK_MS = 2_000;

export function runEventStream<R extends RunState>(source: RunEventSource<R>): ReadableStream<Uint8Array> {
  const pollMs = source.pollMs ?? 200;
  const sessionCheckMs = source.sessionCheckMs ?? SESSION_CHECK_MS;
  const maxConnectionMs = source.maxConnectionMs ?? 5 * 60_000;
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: string, data: unknown, id?: string) =>
        controller.enqueue(encoder.encode(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      const started = Date.now();
      let checkedAt = started;
      let run = source.first;
      let status = '';
      let sentSteps = 0;
      let cursor = source.resumeFrom ? cursorText(source.resumeFrom) : undefined;
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
            for (const delta of await source.readStreamed(run.steps.length, cursor)) {
              send('delta', { stepIndex: delta.stepIndex, streamId: delta.streamId, text: delta.text }, delta.cursor);
              cursor = delta.cursor;
            }
          }
          if (source.signal.aborted || Date.now() - started > maxConnectionMs) break;
          await new Promise((resolve) => setTimeout(resolve, pollMs));
          if (Date.now() - checkedAt >= sessionCheckMs) {
            checkedAt = Date.now();
            if (!(await source.sessionLive())) {
              send('error', { message: 'Your session has ended. Sign in again.' });
              break;
            }
          }
          run = await source.read();
        }
      } catch {
        send('error', { message: 'The run could not be read.' });
      }
      controller.close();
    },
  });
}
