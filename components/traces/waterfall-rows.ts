// The rows of a trace waterfall: the run span first, its model and tool calls
// after it in time order. While a run is still going it has no run span yet, so a
// provisional one covers what has happened so far (and is marked as running).
export type WaterfallSpan = {
  spanId: string;
  parentSpanId: string | null;
  kind: 'run' | 'model' | 'tool' | 'approval';
  name: string;
  startedAt: Date;
  endedAt: Date;
  durationMs: number;
  status: 'ok' | 'error';
  statusMessage: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
};

export type WaterfallTrace = {
  traceId: string;
  run: { status: string; startedAt: Date | null; finishedAt: Date | null; createdAt: Date };
  spans: WaterfallSpan[];
};

export type Row = WaterfallSpan & { depth: number; running: boolean };

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/**
 * The run span and its children in order. While the run is still going there is
 * no run span yet: a provisional one covers what has happened so far.
 */
export function waterfallRows(trace: WaterfallTrace): Row[] {
  const root = trace.spans.find((s) => s.kind === 'run');
  const children = trace.spans.filter((s) => s.kind !== 'run').sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  if (root) return [{ ...root, depth: 0, running: false }, ...children.map((s) => ({ ...s, depth: 1, running: false }))];
  const start = trace.run.startedAt ?? children[0]?.startedAt ?? trace.run.createdAt;
  const end = new Date(Math.max(start.getTime(), ...children.map((s) => s.endedAt.getTime())));
  const sum = (pick: (s: WaterfallSpan) => number) => children.reduce((total, s) => total + pick(s), 0);
  const provisional: Row = {
    spanId: 'provisional-run',
    parentSpanId: null,
    kind: 'run',
    name: 'Run (in progress)',
    startedAt: start,
    endedAt: end,
    durationMs: end.getTime() - start.getTime(),
    status: 'ok',
    statusMessage: null,
    inputTokens: sum((s) => s.inputTokens),
    outputTokens: sum((s) => s.outputTokens),
    costUsd: sum((s) => s.costUsd),
    depth: 0,
    running: true,
  };
  return [provisional, ...children.map((s) => ({ ...s, depth: 1, running: false }))];
}
