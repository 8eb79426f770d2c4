// The text a model step streams, written for readers in other processes: deltas
// are buffered in memory and appended to run_stream_chunks in small batches, one
// statement each (server/db/stream-chunk-writer.ts), one at a time, never inside
// a transaction held across the model call. A chunk is written only while this
// worker holds the run's lease in this claim attempt.
import { insertStreamChunk } from '../db/stream-chunk-writer';
import { logger } from '../observability/logger';
import type { LeaseHolder } from './run-lease';

/** The lease with the claim attempt it belongs to (the run's attempt_count when this worker claimed it). */
export type ClaimLease = LeaseHolder & { attempt: number };

export type StepStreamOptions = {
  /** How long text may wait in memory before it is written; 0 writes nothing (no streaming). */
  flushEveryMs: number;
  /** Text this long is written at once, without waiting for the timer. */
  flushAtChars?: number;
};

export type StepStream = {
  /** Adds streamed text; it reaches the database within flushEveryMs. */
  push(text: string): void;
  /** Stops writing and waits for a write in flight, so no chunk lands after the step row. */
  close(): Promise<void>;
  /** How many chunks were written (for measurements). */
  readonly chunksWritten: number;
};

const DEFAULT_FLUSH_AT_CHARS = 2_000;
/** The column's limit: a longer buffer is written in several chunks. */
const MAX_CHUNK_CHARS = 65_536;

export function openStepStream(lease: ClaimLease, stepIndex: number, options: StepStreamOptions): StepStream {
  const flushAtChars = Math.min(options.flushAtChars ?? DEFAULT_FLUSH_AT_CHARS, MAX_CHUNK_CHARS);
  let buffer = '';
  let seq = 0;
  let written = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: Promise<void> | null = null;
  let closed = false;

  function schedule() {
    if (closed || timer || inFlight || !buffer) return;
    if (buffer.length >= flushAtChars) return void flush();
    timer = setTimeout(flush, options.flushEveryMs);
  }

  function flush() {
    timer = null;
    if (closed || inFlight || !buffer) return;
    const text = buffer.slice(0, MAX_CHUNK_CHARS);
    buffer = buffer.slice(text.length);
    inFlight = insertStreamChunk({ workspaceId: lease.workspaceId, runId: lease.runId, workerId: lease.workerId, attempt: lease.attempt, stepIndex, seq, text })
      .then((appended) => {
        if (appended) {
          seq += 1;
          written += 1;
        } else {
          // The lease moved on (or the run ended): whoever holds it now streams its own attempt.
          closed = true;
        }
      })
      .catch((error: unknown) => {
        // A busy database only delays the preview: the text goes back and is retried with the same seq.
        buffer = text + buffer;
        logger.warn({ runId: lease.runId, reason: error instanceof Error ? error.message : String(error) }, 'streamed text not written yet');
      })
      .finally(() => {
        inFlight = null;
        schedule();
      });
  }

  return {
    push(text) {
      if (closed || !text || options.flushEveryMs <= 0) return;
      buffer += text;
      schedule();
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await inFlight;
    },
    get chunksWritten() {
      return written;
    },
  };
}
