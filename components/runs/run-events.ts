// The shapes the run events stream (app/api/runs/[runId]/events) sends to the browser,
// and how streamed text deltas add up to the answer shown while a step runs.
import type { RunState } from '@/server/agents/run-states';

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
  /** Served from the response cache (absent from events of older servers). */
  cacheHit?: { match: 'exact' | 'semantic'; similarity: number } | null;
};

export type RunStatusEvent = {
  status: RunState;
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

/** The answer growing in the browser: the text of the latest model step, streamed or (once written) its content. */
export type StreamingText = (RunDeltaEvent & { written: boolean }) | null;

/** Adds a delta to what the browser shows: appended to its own stream, or starting a new one; stale deltas are ignored. */
export function withDelta(current: StreamingText, delta: RunDeltaEvent): StreamingText {
  if (current && current.stepIndex === delta.stepIndex && (current.written || delta.streamId < current.streamId)) return current;
  if (current && current.stepIndex === delta.stepIndex && current.streamId === delta.streamId) return { ...current, text: current.text + delta.text };
  if (current && delta.stepIndex < current.stepIndex) return current;
  return { ...delta, written: false };
}

/** Once a step is written its content is the record: a model step's content replaces the streamed text; other steps end it. */
export function withStepWritten(current: StreamingText, step: Pick<RunStepEvent, 'stepIndex' | 'kind' | 'content'>): StreamingText {
  if (current && current.stepIndex > step.stepIndex) return current;
  if (step.kind === 'model' && step.content) return { stepIndex: step.stepIndex, streamId: current?.streamId ?? 0, text: step.content, written: true };
  return null;
}
