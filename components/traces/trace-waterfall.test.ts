// The waterfall as markup: a table with one row per span, errors marked with
// their message, tokens and cost in columns (or under the name when compact),
// and an empty state that says whether spans are still to come.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TraceWaterfall } from './trace-waterfall';
import type { WaterfallSpan, WaterfallTrace } from './waterfall-rows';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

const spans: WaterfallSpan[] = [
  { spanId: 'root', parentSpanId: null, kind: 'run', name: 'invoke_agent Helper', startedAt: at(0), endedAt: at(1500), durationMs: 1500, status: 'error', statusMessage: 'The run took longer than its 1 s limit.', inputTokens: 12, outputTokens: 3, costUsd: 0.000123 },
  { spanId: 'm', parentSpanId: 'root', kind: 'model', name: 'chat enclave-local-chat', startedAt: at(10), endedAt: at(400), durationMs: 390, status: 'ok', statusMessage: null, inputTokens: 12, outputTokens: 3, costUsd: 0.000123 },
  { spanId: 't', parentSpanId: 'root', kind: 'tool', name: 'execute_tool lookup', startedAt: at(400), endedAt: at(1400), durationMs: 1000, status: 'error', statusMessage: 'The tool lookup failed.', inputTokens: 0, outputTokens: 0, costUsd: 0 },
];

const trace = (over: Partial<WaterfallTrace> = {}): WaterfallTrace => ({
  traceId: 'f'.repeat(32),
  run: { status: 'timed_out', startedAt: at(0), finishedAt: at(1500), createdAt: at(0) },
  spans,
  ...over,
});

const render = (props: Parameters<typeof TraceWaterfall>[0]) => renderToStaticMarkup(createElement(TraceWaterfall, props));

describe('the trace waterfall', () => {
  it('renders a table row per span with duration, tokens, cost and marked errors', () => {
    const html = render({ trace: trace() });
    expect(html).toContain('<table');
    expect(html.match(/data-testid="trace-span"/g)).toHaveLength(3);
    expect(html.match(/data-status="error"/g)).toHaveLength(2);
    expect(html).toContain('The run took longer than its 1 s limit.');
    expect(html).toContain('The tool lookup failed.');
    expect(html).toContain('1.50 s');
    expect(html).toContain('390 ms');
    expect(html).toContain('12 in · 3 out');
    expect(html).toContain('$0.000123');
    expect(html).toContain('>Tokens</th>');
    expect(html).toContain('starts at 400 ms, lasts 1.00 s');
  });

  it('moves tokens and cost under the name when compact', () => {
    const html = render({ trace: trace(), compact: true });
    expect(html).not.toContain('>Tokens</th>');
    expect(html).toContain('12 in · 3 out · $0.000123');
  });

  it('says spans are coming for a queued run, and that there is no trace for a finished one without spans', () => {
    expect(render({ trace: trace({ spans: [], run: { status: 'queued', startedAt: null, finishedAt: null, createdAt: at(0) } }) })).toContain('No spans yet');
    expect(render({ trace: trace({ spans: [] }) })).toContain('No trace for this run');
  });
});
