// The steps of a run as they land: model calls (answer or tool calls, tokens,
// cost, latency) and tool calls (arguments and result). Shared by the playground.
import type { RunStepEvent } from './run-events';

function json(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

export function RunSteps({ steps }: { steps: RunStepEvent[] }) {
  if (!steps.length) return <p className="text-sm text-slate-500">No steps yet.</p>;
  return (
    <ol className="space-y-3" aria-label="Run steps">
      {steps.map((step) => (
        <li key={step.stepIndex} className="rounded-md p-3 ring-1 ring-slate-200" data-testid="run-step">
          <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
            <span className="font-medium text-slate-900">
              {step.stepIndex + 1}. {step.kind === 'model' ? `Model call · ${step.model ?? ''}` : `Tool call · ${step.toolName ?? ''}`}
              {step.status === 'error' && <span className="ml-2 text-red-700">failed</span>}
              {step.cacheHit && (
                <span className="ml-2 rounded bg-emerald-50 px-1.5 py-0.5 text-xs font-medium text-emerald-800 ring-1 ring-emerald-200" data-testid="cache-hit">
                  Cache hit · {step.cacheHit.match === 'exact' ? 'exact match' : `similarity ${step.cacheHit.similarity.toFixed(2)}`}
                </span>
              )}
            </span>
            <span className="font-mono text-xs text-slate-500">
              {step.kind === 'model' && `${step.inputTokens} in · ${step.outputTokens} out · $${step.costUsd.toFixed(6)} · `}
              {step.latencyMs} ms
            </span>
          </div>
          {step.kind === 'model' && step.content && <p className="mt-2 text-sm whitespace-pre-wrap text-slate-700">{step.content}</p>}
          {step.kind === 'model' && step.toolCalls.map((call) => (
            <p key={call.id} className="mt-2 font-mono text-xs text-slate-600">
              → {call.name}({call.arguments})
            </p>
          ))}
          {step.kind === 'tool' && (
            <div className="mt-2 grid gap-2 sm:grid-cols-2">
              <pre tabIndex={0} className="overflow-x-auto rounded bg-slate-50 p-2 text-xs text-slate-700" aria-label="Arguments">{json(step.toolArgs)}</pre>
              <pre tabIndex={0} className="overflow-x-auto rounded bg-slate-50 p-2 text-xs text-slate-700" aria-label="Result">{json(step.toolResult)}</pre>
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}
