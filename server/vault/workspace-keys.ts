// Each workspace's data key: 32 random bytes, stored only wrapped by the master
// key and bound to its workspace and key id, so a wrapped key copied into
// another workspace's row will not open. A key wrapped by a previous master key
// is rewrapped under the current one when used. Destroying the key (directly,
// or through the workspace's deletion cascade) leaves its ciphertexts unreadable.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Tx } from '../db/with-workspace';
import { recordAudit } from '../observability/audit';
import { KEY_BYTES, open, seal, type Sealed } from './aes-gcm';
import { masterKeyring, type MasterKey } from './master-key';

export type DataKey = { id: string; key: Buffer };

export type WrappedKeyRow = Sealed & { id: string; masterKeyId: string };

const wrapContext = (workspaceId: string, keyId: string) => `enclave:data-key:v1:${workspaceId}:${keyId}`;

function wrap(master: MasterKey, workspaceId: string, keyId: string, dataKey: Buffer): Sealed {
  return seal(master.key, dataKey, wrapContext(workspaceId, keyId));
}

function masterKeyFor(masterKeyId: string): MasterKey {
  const master = masterKeyring().byId.get(masterKeyId);
  // Names only the fingerprint, which is not secret.
  if (!master) throw new Error(`The workspace data key is wrapped by master key ${masterKeyId}, which is not configured`);
  return master;
}

/** Opens a wrapped data key; rewraps it under the current master key if an older one wrapped it. */
export async function unwrapDataKey(tx: Tx, workspaceId: string, row: WrappedKeyRow): Promise<DataKey> {
  const key = open(masterKeyFor(row.masterKeyId).key, row, wrapContext(workspaceId, row.id), 'The workspace data key');
  const { current } = masterKeyring();
  if (row.masterKeyId !== current.id) await storeWrapping(tx, workspaceId, row.id, current, key);
  return { id: row.id, key };
}

async function storeWrapping(tx: Tx, workspaceId: string, keyId: string, master: MasterKey, key: Buffer): Promise<void> {
  const wrapped = wrap(master, workspaceId, keyId, key);
  await tx.workspaceKey.updateMany({
    where: { id: keyId, workspaceId },
    data: { wrappedKey: wrapped.ciphertext, iv: wrapped.iv, tag: wrapped.tag, masterKeyId: master.id, rotatedAt: new Date() },
  });
}

async function wrappedKeyOf(tx: Tx, workspaceId: string): Promise<WrappedKeyRow | null> {
  const row = await tx.workspaceKey.findUnique({
    where: { workspaceId },
    select: { id: true, wrappedKey: true, iv: true, tag: true, masterKeyId: true },
  });
  if (!row) return null;
  return { id: row.id, masterKeyId: row.masterKeyId, ciphertext: new Uint8Array(row.wrappedKey), iv: new Uint8Array(row.iv), tag: new Uint8Array(row.tag) };
}

/**
 * The workspace's data key for encrypting, created on first use. Two first
 * writers at once agree on one key: the loser's insert does nothing and it
 * reads the winner's.
 */
export async function dataKeyForWriting(tx: Tx, workspaceId: string): Promise<DataKey> {
  const existing = await wrappedKeyOf(tx, workspaceId);
  if (existing) return unwrapDataKey(tx, workspaceId, existing);
  const { current } = masterKeyring();
  const id = randomUUID();
  const key = randomBytes(KEY_BYTES);
  const wrapped = wrap(current, workspaceId, id, key);
  const inserted = await tx.$executeRaw`
    INSERT INTO workspace_keys (id, workspace_id, wrapped_key, iv, tag, master_key_id)
    VALUES (${id}::uuid, ${workspaceId}::uuid, ${wrapped.ciphertext}, ${wrapped.iv}, ${wrapped.tag}, ${current.id})
    ON CONFLICT (workspace_id) DO NOTHING`;
  if (inserted === 1) return { id, key };
  key.fill(0);
  const winner = await wrappedKeyOf(tx, workspaceId);
  if (!winner) throw new Error('The workspace data key vanished while it was being created');
  return unwrapDataKey(tx, workspaceId, winner);
}

/**
 * Rewraps the workspace's data key under the current master key (after a
 * rotation, with the old key in ENCLAVE_MASTER_KEY_PREVIOUS). The data key and
 * so every ciphertext stay as they are. Returns whether anything changed.
 */
export async function rewrapWorkspaceKey(tx: Tx, workspaceId: string): Promise<boolean> {
  const row = await wrappedKeyOf(tx, workspaceId);
  if (!row || row.masterKeyId === masterKeyring().current.id) return false;
  const { key } = await unwrapDataKey(tx, workspaceId, row);
  key.fill(0);
  return true;
}

/**
 * Crypto-shreds the workspace's vault: the data key row goes, and its secrets
 * with it (they reference the key). Returns how many secrets were destroyed.
 */
export async function destroyWorkspaceKey(tx: Tx, actor: { workspaceId: string; userId: string | null }): Promise<number> {
  const secrets = await tx.secret.count({ where: { workspaceId: actor.workspaceId } });
  const { count } = await tx.workspaceKey.deleteMany({ where: { workspaceId: actor.workspaceId } });
  if (count > 0) {
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorUserId: actor.userId,
      action: 'vault.key_destroyed',
      metadata: { secretsDestroyed: secrets },
    });
  }
  return secrets;
}
