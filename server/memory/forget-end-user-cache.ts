// The one place where forgetting an end user reaches derived stores outside the
// memory tables. The response cache (server/llm/cache/) keys memory-enabled
// entries by end user; when it lands, its forgetEndUserCache(tx, workspaceId,
// endUserId) is called from here, inside the same transaction as the row deletes.
import type { Tx } from '../db/with-workspace';

export async function forgetEndUserDerivedStores(_tx: Tx, _workspaceId: string, _endUserId: string): Promise<void> {
  // No derived store holds end-user data yet: the memory tables are the only ones.
  // Wire the response cache here: await forgetEndUserCache(tx, workspaceId, endUserId);
}
