// The one place where forgetting an end user reaches derived stores outside the
// memory tables: the response cache (server/llm/cache/) keys memory-enabled
// entries by end user, and they go in the same transaction as the row deletes.
import type { Tx } from '../db/with-workspace';
import { forgetEndUserCache } from '../llm/cache/response-cache';

export async function forgetEndUserDerivedStores(tx: Tx, workspaceId: string, endUserId: string): Promise<void> {
  await forgetEndUserCache(tx, workspaceId, endUserId);
}
