// The states of a document's ingestion job and the moves between them, in one
// table: queued → processing → ready | failed; a failed attempt with retries left
// goes back to queued (with its reason kept), and re-embedding or a retry requeues.
export const INGESTION_STATES = ['queued', 'processing', 'ready', 'failed'] as const;
export type IngestionState = (typeof INGESTION_STATES)[number];

export const INGESTION_TRANSITIONS: Readonly<Record<IngestionState, readonly IngestionState[]>> = {
  queued: ['processing'],
  processing: ['ready', 'failed', 'queued'],
  ready: ['queued'],
  failed: ['queued'],
};

/** Attempts before a document stays failed. */
export const MAX_INGESTION_ATTEMPTS = 3;

/** Wait before the next attempt after a failure: 2 s, 8 s, … */
export function retryDelayMs(attempt: number): number {
  return 2_000 * 4 ** Math.max(0, attempt - 1);
}

export function canMove(from: IngestionState, to: IngestionState): boolean {
  return INGESTION_TRANSITIONS[from].includes(to);
}
