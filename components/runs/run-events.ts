// The shapes the run events stream (app/api/runs/[runId]/events) sends to the browser.
export type RunStepEvent = {
  stepIndex: number;
  kind: 'model' | 'tool';
  status: 'ok' | 'error';
  content: string | null;
  toolCalls: { id: string; name: string; arguments: string }[];
  toolName: string | null;
  toolArgs: unknown;
  toolResult: unknown;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
};

export type RunStatusEvent = {
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timed_out';
  output: string | null;
  error: string | null;
  totals: { inputTokens: number; outputTokens: number; costUsd: number };
  cancelRequested: boolean;
};
