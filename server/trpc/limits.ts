// Limits shared by the tRPC endpoint and its browser client.

/** Calls in one batched request; a larger batch is refused with 400 (one request cannot queue unbounded work). */
export const MAX_BATCH_SIZE = 10;

/** Largest request body the endpoint reads; larger ones are refused with 413 before parsing. */
export const MAX_BODY_BYTES = 1024 * 1024;
