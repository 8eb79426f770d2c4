// The waterfall's rows: the run span leads and its steps follow in time order;
// while the run has no span yet, a provisional running one covers the steps so far.
import { describe, expect, it } from 'vitest';
import { formatDuration, waterfallRows, type WaterfallSpan, type WaterfallTrace } from './waterfall-rows';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

function span(spanId: string, kind: WaterfallSpan['kind'], from: number, to: number, extra: Partial<WaterfallSpan> = {}): WaterfallSpan {
  return {
    spanId,
    parentSpanId: kind === 'run' ? null : 'root',
    kind,
    name: `${kind} ${spanId}`,
    startedAt: at(from),
    endedAt: at(to),
    durationMs: to - from,
    status: 'ok',
    statusMessage: null,
    inputTokens: kind === 'model' ? 10 : 0,
    outputTokens: kind === 'model' ? 5 : 0,
    costUsd: kind === 'model' ? 0.001 : 0,
    ...extra,
  };
}

function trace(spans: WaterfallSpan[], status = 'succeeded', startedAt: Date | null = at(0)): WaterfallTrace {
  return { traceId: 'a'.repeat(32), run: { status, startedAt, finishedAt: null, createdAt: at(-5) }, spans };
}

describe('waterfall rows', () => {
  it('puts the run span first and its children after it, by start time, one level in', () => {
    const rows = waterfallRows(trace([span('t', 'tool', 40, 60), span('root', 'run', 0, 100), span('m', 'model', 5, 30)]));
    expect(rows.map((r) => [r.spanId, r.depth, r.running])).toEqual([
      ['root', 0, false],
      ['m', 1, false],
      ['t', 1, false],
    ]);
  });

  it('covers a run still in progress with a provisional running span summing its steps', () => {
    const rows = waterfallRows(trace([span('m1', 'model', 10, 30), span('t', 'tool', 30, 45), span('m2', 'model', 45, 70)], 'running', at(2)));
    const [root] = rows;
    expect(root).toMatchObject({ kind: 'run', running: true, depth: 0, inputTokens: 20, outputTokens: 10, durationMs: 68 });
    expect(root!.costUsd).toBeCloseTo(0.002);
    expect(root!.startedAt).toEqual(at(2));
    expect(rows.slice(1).map((r) => r.spanId)).toEqual(['m1', 't', 'm2']);
  });

  it('formats durations in milliseconds, then seconds', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(999.4)).toBe('999 ms');
    expect(formatDuration(3760)).toBe('3.76 s');
  });
});
