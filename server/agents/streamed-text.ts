// Reading what a running run's model step has streamed so far (step-stream.ts
// writes it), after a cursor, in order: only the current claim attempt's text and
// only for steps not yet written, so a reader never shows a dead worker's stream
// or text the step row already replaced.
import type { Tx } from '../db/with-workspace';
import { NotFound } from '../domain-errors';

/** Where a reader is: the attempt, step and seq of the last chunk it has. Serialised as "attempt.step.seq". */
export type StreamCursor = { attempt: number; stepIndex: number; seq: number };

export type StreamedDelta = {
  stepIndex: number;
  /** The claim attempt that streamed the text: a new id for the same step means "start over". */
  streamId: number;
  text: string;
  /** The cursor after this delta; a reader passes it back to continue. */
  cursor: string;
};

const CURSOR = /^(\d{1,9})\.(\d{1,9})\.(\d{1,9})$/;
const START: StreamCursor = { attempt: 0, stepIndex: 0, seq: -1 };
/** Chunks read per call; a reader that is further behind gets the rest on its next call. */
const CHUNKS_PER_READ = 500;

export function cursorText(cursor: StreamCursor): string {
  return `${cursor.attempt}.${cursor.stepIndex}.${cursor.seq}`;
}

/** The cursor in `text`, or null when it is not one (a reader then starts from the beginning). */
export function parseCursor(text: string | null | undefined): StreamCursor | null {
  const match = text ? CURSOR.exec(text.trim()) : null;
  return match ? { attempt: Number(match[1]), stepIndex: Number(match[2]), seq: Number(match[3]) } : null;
}

/**
 * The text streamed after `after` by steps from `fromStep` on, merged into one
 * delta per step. Empty unless the run is running. NotFound for a run this
 * workspace does not have.
 */
export async function streamedTextSince(
  tx: Tx,
  workspaceId: string,
  runId: string,
  { fromStep, after }: { fromStep: number; after?: StreamCursor | null },
): Promise<StreamedDelta[]> {
  const run = await tx.run.findUnique({ where: { workspaceId_id: { workspaceId, id: runId } }, select: { status: true, attemptCount: true } });
  if (!run) throw new NotFound('Run not found');
  if (run.status !== 'running') return [];
  const from = after ?? START;
  const chunks = await tx.$queryRaw<{ step_index: number; seq: number; text: string }[]>`
    SELECT step_index, seq, text FROM run_stream_chunks
    WHERE workspace_id = ${workspaceId}::uuid AND run_id = ${runId}::uuid
      AND attempt = ${run.attemptCount} AND step_index >= ${fromStep}
      AND (attempt, step_index, seq) > (${from.attempt}, ${from.stepIndex}, ${from.seq})
    ORDER BY step_index, seq
    LIMIT ${CHUNKS_PER_READ}`;
  // One writer per attempt appends in seq order, each chunk committed before the next: no gaps to wait for.
  const deltas: StreamedDelta[] = [];
  for (const chunk of chunks) {
    const last = deltas.at(-1);
    const cursor = cursorText({ attempt: run.attemptCount, stepIndex: chunk.step_index, seq: chunk.seq });
    if (last && last.stepIndex === chunk.step_index) {
      last.text += chunk.text;
      last.cursor = cursor;
    } else {
      deltas.push({ stepIndex: chunk.step_index, streamId: run.attemptCount, text: chunk.text, cursor });
    }
  }
  return deltas;
}
