// The shapes the run events stream (app/api/runs/[runId]/events) sends to the browser,
// and how streamed text deltas add up to the answer shown while a step runs.
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

/** Text a model step streamed before its step was written; the step's content replaces it. */
export type RunDeltaEvent = {
  stepIndex: number;
  /** A new stream id for the same step (the run moved to another worker) means the text starts over. */
  streamId: number;
  text: string;
};

/** The answer growing in the browser: the streamed text of the step in progress, if any. */
export type StreamingText = RunDeltaEvent | null;

/** Adds a delta to what the browser shows: appended to its own stream, or starting a new one. */
export function withDelta(current: StreamingText, delta: RunDeltaEvent): StreamingText {
  if (current && current.stepIndex === delta.stepIndex && current.streamId === delta.streamId) return { ...current, text: current.text + delta.text };
  if (current && (delta.stepIndex < current.stepIndex || (delta.stepIndex === current.stepIndex && delta.streamId < current.streamId))) return current;
  return delta;
}

/** Once a step is written its content is the record: the streamed text of that step (or an earlier one) goes. */
export function withStepWritten(current: StreamingText, stepIndex: number): StreamingText {
  return current && current.stepIndex <= stepIndex ? null : current;
}
