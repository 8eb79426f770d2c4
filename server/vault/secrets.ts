// Managing a workspace's secrets, write-only: create, replace a value, delete,
// and list names with their dates. Nothing here reads a value back: values go
// in encrypted under the workspace's data key, and the app role cannot even
// SELECT the ciphertext. Every change is audited by name, never by value.
import { Conflict, InvalidInput, NotFound } from '../domain-errors';
import type { Tx } from '../db/with-workspace';
import { isUniqueViolation } from '../db/prisma-errors';
import { recordAudit } from '../observability/audit';
import type { Actor } from '../tenancy/members';
import { seal } from './aes-gcm';
import { SECRET_NAME_PATTERN, SECRET_NAME_RULE, secretValueProblem } from './secret-rules';
import { dataKeyForWriting } from './workspace-keys';

export type SecretSummary = {
  id: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
  lastUsedAt: Date | null;
};

const summary = { id: true, name: true, createdAt: true, updatedAt: true, lastUsedAt: true } as const;

/** Binds a ciphertext to its workspace and name: moved anywhere else, it will not open. */
export const secretContext = (workspaceId: string, name: string) => `enclave:secret:v1:${workspaceId}:${name}`;

function assertName(name: string): void {
  if (!SECRET_NAME_PATTERN.test(name)) throw new InvalidInput(SECRET_NAME_RULE, 'name');
}

function assertValue(value: string): void {
  const problem = secretValueProblem(value);
  if (problem) throw new InvalidInput(problem, 'value');
}

async function encrypt(tx: Tx, workspaceId: string, name: string, value: string) {
  const dataKey = await dataKeyForWriting(tx, workspaceId);
  try {
    const sealed = seal(dataKey.key, Buffer.from(value, 'utf8'), secretContext(workspaceId, name));
    return { keyId: dataKey.id, ciphertext: sealed.ciphertext, iv: sealed.iv, tag: sealed.tag };
  } finally {
    dataKey.key.fill(0);
  }
}

export async function secretsOfWorkspace(tx: Tx, workspaceId: string): Promise<SecretSummary[]> {
  return tx.secret.findMany({ where: { workspaceId }, orderBy: { name: 'asc' }, select: summary });
}

async function secretById(tx: Tx, workspaceId: string, secretId: string) {
  const secret = await tx.secret.findFirst({ where: { id: secretId, workspaceId }, select: { id: true, name: true } });
  if (!secret) throw new NotFound('Secret not found');
  return secret;
}

export async function createSecret(tx: Tx, actor: Actor, input: { name: string; value: string }): Promise<SecretSummary> {
  assertName(input.name);
  assertValue(input.value);
  const taken = await tx.secret.findFirst({ where: { workspaceId: actor.workspaceId, name: input.name }, select: { id: true } });
  if (taken) throw new Conflict(`A secret named ${input.name} already exists: replace its value instead`);
  const encrypted = await encrypt(tx, actor.workspaceId, input.name, input.value);
  try {
    const created = await tx.secret.create({
      data: { workspaceId: actor.workspaceId, name: input.name, createdBy: actor.userId, ...encrypted },
      select: summary,
    });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'secret.created', target: created.name });
    return created;
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(`A secret named ${input.name} already exists: replace its value instead`);
    throw error;
  }
}

/** Replaces the value; the name, and so every reference to the secret, stays. */
export async function replaceSecretValue(tx: Tx, actor: Actor, secretId: string, value: string): Promise<SecretSummary> {
  const secret = await secretById(tx, actor.workspaceId, secretId);
  assertValue(value);
  const encrypted = await encrypt(tx, actor.workspaceId, secret.name, value);
  const updated = await tx.secret.update({
    where: { id: secret.id },
    data: { ...encrypted, updatedAt: new Date() },
    select: summary,
  });
  await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'secret.updated', target: secret.name });
  return updated;
}

export async function deleteSecret(tx: Tx, actor: Actor, secretId: string): Promise<void> {
  const secret = await secretById(tx, actor.workspaceId, secretId);
  // Custom tools refer to their auth secret by name; deleting it would leave them without credentials.
  const users = await tx.customTool.findMany({ where: { workspaceId: actor.workspaceId, authSecretName: secret.name }, select: { name: true }, orderBy: { name: 'asc' } });
  if (users.length > 0) {
    throw new Conflict(`The secret ${secret.name} is used by the tools ${users.map((t) => t.name).join(', ')}; change or delete them first`);
  }
  await tx.secret.deleteMany({ where: { id: secret.id, workspaceId: actor.workspaceId } });
  await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'secret.deleted', target: secret.name });
}
