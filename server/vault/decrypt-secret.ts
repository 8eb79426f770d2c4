// The only way to a secret's value: for the runtime, for the one call that
// needs it. Each decrypt is written to the audit trail (name, purpose and run,
// never the value) and stamps the secret's last use. Keep the transaction
// short: decrypt, commit, then make the call with the value.
import { InvalidInput, NotFound } from '../domain-errors';
import type { Tx } from '../db/with-workspace';
import { recordAudit } from '../observability/audit';
import { open } from './aes-gcm';
import { secretContext } from './secrets';
import { unwrapDataKey } from './workspace-keys';

export type DecryptRequest = {
  workspaceId: string;
  name: string;
  /** What the value is for, as the audit trail should show it ("llm provider openai", "tool github_search"). */
  purpose: string;
  /** The user on whose behalf, if any; a run acts for the system. */
  actorUserId?: string | null;
  runId?: string | null;
};

type Material = {
  secret_id: string;
  key_id: string;
  ciphertext: Uint8Array;
  iv: Uint8Array;
  tag: Uint8Array;
  wrapped_key: Uint8Array;
  key_iv: Uint8Array;
  key_tag: Uint8Array;
  master_key_id: string;
};

const MAX_PURPOSE_LENGTH = 200;

export async function decryptSecret(tx: Tx, request: DecryptRequest): Promise<string> {
  const purpose = request.purpose.trim();
  if (!purpose || purpose.length > MAX_PURPOSE_LENGTH) throw new InvalidInput('Say what the secret is for (1–200 characters)', 'purpose');
  // secret_material() reads the transaction's workspace; the comparison makes a
  // request for any other workspace find nothing rather than the wrong secret.
  const [material] = await tx.$queryRaw<Material[]>`
    SELECT m.* FROM secret_material(${request.name}) m
    WHERE current_setting('app.workspace_id', true) = ${request.workspaceId}`;
  if (!material) throw new NotFound(`Secret ${request.name} not found`);

  const dataKey = await unwrapDataKey(tx, request.workspaceId, {
    id: material.key_id,
    masterKeyId: material.master_key_id,
    ciphertext: new Uint8Array(material.wrapped_key),
    iv: new Uint8Array(material.key_iv),
    tag: new Uint8Array(material.key_tag),
  });
  let value: string;
  try {
    const sealed = { ciphertext: new Uint8Array(material.ciphertext), iv: new Uint8Array(material.iv), tag: new Uint8Array(material.tag) };
    value = open(dataKey.key, sealed, secretContext(request.workspaceId, request.name), `Secret ${request.name}`).toString('utf8');
  } finally {
    dataKey.key.fill(0);
  }

  await tx.secret.updateMany({ where: { id: material.secret_id, workspaceId: request.workspaceId }, data: { lastUsedAt: new Date() } });
  await recordAudit(tx, {
    workspaceId: request.workspaceId,
    actorUserId: request.actorUserId ?? null,
    action: 'secret.decrypted',
    target: request.name,
    metadata: { name: request.name, purpose, ...(request.runId ? { runId: request.runId } : {}) },
  });
  return value;
}
