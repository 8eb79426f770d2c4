// Limits shared by the tRPC endpoint and its browser client.

/** Calls in one batched request; a larger batch is refused with 400 (one request cannot queue unbounded work). */
export const MAX_BATCH_SIZE = 10;
