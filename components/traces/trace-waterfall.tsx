// A run's trace as a waterfall: one row per span — the run first, its model and
// tool calls nested under it — with a bar on a shared time axis, the duration,
// tokens, cost and status (errors marked and explained). It is a table, so it
// reads with a keyboard and a screen reader; the bars only echo the numbers.
// Shared by the run page (server) and the playground (client): no hooks here.
import { EmptyState } from '../ui/empty-state';
import { formatDuration, waterfallRows, type Row, type WaterfallSpan, type WaterfallTrace } from './waterfall-rows';

export type { WaterfallTrace };

const KIND_LABEL: Record<WaterfallSpan['kind'], string> = { run: 'Run', model: 'Model call', tool: 'Tool call', approval: 'Approval wait' };

/** `compact` (a narrow column, as in the playground) moves tokens and cost under each span's name. */
export function TraceWaterfall({ trace, compact = false }: { trace: WaterfallTrace; compact?: boolean }) {
  if (!trace.spans.length) {
    const waiting = trace.run.status === 'queued' || trace.run.status === 'running';
    return (
      <EmptyState title={waiting ? 'No spans yet' : 'No trace for this run'}>
        {waiting ? 'Spans appear here as the run calls the model and its tools.' : 'This run finished without recording spans.'}
      </EmptyState>
    );
  }
  const rows = waterfallRows(trace);
  const origin = rows[0]!.startedAt.getTime();
  const total = Math.max(1, ...rows.map((r) => r.endedAt.getTime() - origin));
  return (
    // Focusable, so a keyboard can scroll the table sideways on a narrow screen.
    <div className="overflow-x-auto rounded focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:outline-none" data-testid="trace-waterfall" role="region" aria-label="Trace waterfall" tabIndex={0}>
      <table className={`w-full text-sm ${compact ? 'min-w-[26rem]' : 'min-w-[40rem]'}`}>
        <caption className="sr-only">
          Trace {trace.traceId}: {rows.length} spans over {formatDuration(total)}
        </caption>
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs font-medium text-slate-500">
            <th scope="col" className="py-2 pr-3">Span</th>
            <th scope="col" className="w-2/5 py-2 pr-3">
              <span className="flex justify-between">
                <span>Timeline</span>
                <span className="font-mono">{formatDuration(total)}</span>
              </span>
            </th>
            <th scope="col" className="py-2 pr-3 text-right">Duration</th>
            {!compact && (
              <>
                <th scope="col" className="py-2 pr-3 text-right">Tokens</th>
                <th scope="col" className="py-2 pr-3 text-right">Cost</th>
              </>
            )}
            <th scope="col" className="py-2">Status</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <SpanRow key={row.spanId} row={row} origin={origin} total={total} compact={compact} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function tokensOf(row: Row): string {
  return `${row.inputTokens} in · ${row.outputTokens} out`;
}

function costOf(row: Row): string {
  return `$${row.costUsd.toFixed(6)}`;
}

function SpanRow({ row, origin, total, compact }: { row: Row; origin: number; total: number; compact: boolean }) {
  const offset = row.startedAt.getTime() - origin;
  const left = (offset / total) * 100;
  const width = Math.max(0.75, (row.durationMs / total) * 100);
  const failed = row.status === 'error';
  const bar = failed ? 'bg-red-500' : row.running ? 'bg-amber-400' : row.kind === 'run' ? 'bg-slate-500' : row.kind === 'model' ? 'bg-indigo-500' : row.kind === 'approval' ? 'bg-amber-600' : 'bg-emerald-600';
  return (
    <tr data-testid="trace-span" data-kind={row.kind} data-status={row.running ? 'running' : row.status} className={failed ? 'bg-red-50/60' : undefined}>
      <th scope="row" className="py-2 pr-3 text-left font-normal">
        <span className={`block ${row.depth ? 'pl-5' : ''}`}>
          {row.depth > 0 && (
            <span aria-hidden className="mr-1 text-slate-400">
              └
            </span>
          )}
          <span className="font-medium text-slate-900">{row.name}</span>
          <span className="ml-2 text-xs text-slate-500">{KIND_LABEL[row.kind]}</span>
          {compact && (row.kind === 'run' || row.kind === 'model') && (
            <span className="mt-0.5 block font-mono text-xs text-slate-600">
              {tokensOf(row)} · {costOf(row)}
            </span>
          )}
          {failed && row.statusMessage && <span className="mt-0.5 block text-xs text-red-700">{row.statusMessage}</span>}
        </span>
      </th>
      <td className="py-2 pr-3">
        <span className="sr-only">
          starts at {formatDuration(offset)}, lasts {formatDuration(row.durationMs)}
        </span>
        <span aria-hidden className="relative block h-3 rounded bg-slate-100">
          <span className={`absolute inset-y-0 rounded ${bar}`} style={{ left: `${Math.min(left, 99.25)}%`, width: `${Math.min(width, 100 - Math.min(left, 99.25))}%` }} />
        </span>
      </td>
      <td className="py-2 pr-3 text-right font-mono text-xs whitespace-nowrap text-slate-700">{formatDuration(row.durationMs)}</td>
      {!compact && (
        <>
          <td className="py-2 pr-3 text-right font-mono text-xs whitespace-nowrap text-slate-700">{row.kind === 'tool' || row.kind === 'approval' ? '—' : tokensOf(row)}</td>
          <td className="py-2 pr-3 text-right font-mono text-xs whitespace-nowrap text-slate-700">{row.kind === 'tool' || row.kind === 'approval' ? '—' : costOf(row)}</td>
        </>
      )}
      <td className="py-2 text-xs whitespace-nowrap">
        {row.running ? (
          <span className="font-medium text-amber-700">Running</span>
        ) : failed ? (
          <span className="font-medium text-red-700">Error</span>
        ) : (
          <span className="text-emerald-700">OK</span>
        )}
      </td>
    </tr>
  );
}

/** What the trace panel shows while its spans load. */
export function TraceWaterfallLoading() {
  return (
    <div role="status" aria-live="polite" className="space-y-2">
      <span className="sr-only">Loading the trace…</span>
      <div aria-hidden className="h-4 w-2/3 animate-pulse rounded bg-slate-100" />
      <div aria-hidden className="h-4 w-1/2 animate-pulse rounded bg-slate-100" />
      <div aria-hidden className="h-4 w-3/5 animate-pulse rounded bg-slate-100" />
    </div>
  );
}
