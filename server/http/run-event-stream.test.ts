// A run's event stream sends steps, status and the end, and stops as soon as the
// session that opened it has ended (sign-out, "sign out everywhere"), even while
// the run is still going.
import { describe, expect, it } from 'vitest';
import { runEventStream } from './run-event-stream';

const running = { status: 'running', steps: [] as unknown[], finishedAt: null as Date | null, cancelRequested: false, output: null, error: null, totals: {} };

async function events(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const text = await new Response(stream).text();
  return [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]!);
}

describe('run event stream', () => {
  it('ends with an error event once the session is no longer live, though the run keeps running', async () => {
    let checks = 0;
    let reads = 0;
    const stream = runEventStream({
      first: running,
      read: async () => {
        reads += 1;
        return running;
      },
      readStreamed: async () => [],
      sessionLive: async () => ++checks < 3,
      resumeFrom: null,
      signal: new AbortController().signal,
      pollMs: 5,
      sessionCheckMs: 20,
      maxConnectionMs: 60_000,
    });
    const started = Date.now();
    const text = await new Response(stream).text();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect([...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1])).toEqual(['status', 'error']);
    expect(text).toContain('Your session has ended. Sign in again.');
    expect(checks).toBe(3);
    expect(reads).toBeGreaterThan(0);
  });

  it('sends each step once, the status, and the end of a finished run, without asking about the session', async () => {
    let checks = 0;
    const finished = { ...running, status: 'succeeded', steps: [{ n: 1 }, { n: 2 }], finishedAt: new Date() };
    const names = await events(
      runEventStream({
        first: { ...running, steps: [{ n: 1 }] },
        read: async () => finished,
        readStreamed: async () => [{ stepIndex: 1, streamId: 1, text: 'hi', cursor: '1.1.1' }],
        sessionLive: async () => (checks += 1) > 0,
        resumeFrom: null,
        signal: new AbortController().signal,
        pollMs: 1,
        sessionCheckMs: 60_000,
      }),
    );
    expect(names).toEqual(['step', 'status', 'delta', 'step', 'status', 'end']);
    expect(checks).toBe(0);
  });
});
