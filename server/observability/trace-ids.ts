// Trace and span ids of a run, derived from the run id (and step index) alone, so
// every process — the worker that writes a step, the one that resumes the run,
// the exporter — arrives at the same ids without sharing any state. They have
// the W3C / OpenTelemetry shapes: 32 and 16 lowercase hex digits, never all zero.
import { createHash } from 'node:crypto';

function digest(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join(':')).digest('hex');
}

/** An all-zero id is invalid in OpenTelemetry; a sha-256 prefix of zeros is not expected, but is avoided anyway. */
function nonZero(hex: string): string {
  return /^0+$/.test(hex) ? `${hex.slice(0, -1)}1` : hex;
}

export function traceIdOfRun(runId: string): string {
  return nonZero(digest('enclave-trace', runId.toLowerCase()).slice(0, 32));
}

/** The root span of the run ("invoke_agent"). */
export function runSpanIdOf(runId: string): string {
  return nonZero(digest('enclave-span', runId.toLowerCase(), 'run').slice(0, 16));
}

/** The span of one step (a model call or a tool call), a child of the run span. */
export function stepSpanIdOf(runId: string, stepIndex: number): string {
  return nonZero(digest('enclave-span', runId.toLowerCase(), 'step', stepIndex).slice(0, 16));
}

/** The span of an approval wait (from the request to the decision), a child of the run span at the step that asked. */
export function approvalSpanIdOf(runId: string, stepIndex: number): string {
  return nonZero(digest('enclave-span', runId.toLowerCase(), 'approval', stepIndex).slice(0, 16));
}
