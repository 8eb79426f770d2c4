// A workspace's knowledge bases: create, list with document and chunk counts,
// rename, change the embedding model (which requeues every document so the
// worker re-embeds it in the background) and delete (documents and chunks go with it).
import { Conflict, NotFound } from '../domain-errors';
import type { Tx } from '../db/with-workspace';
import { isUniqueViolation } from '../db/prisma-errors';
import { recordAudit } from '../observability/audit';
import type { Actor } from '../tenancy/members';
import { BUILT_IN_EMBEDDING_MODELS, embeddingChoice } from './embedding-models';

export type KnowledgeBaseView = {
  id: string;
  name: string;
  description: string;
  embeddingModel: string;
  dimension: number;
  documentCount: number;
  readyCount: number;
  chunkCount: number;
  createdAt: Date;
  updatedAt: Date;
};

export type KnowledgeBaseInput = { name: string; description?: string; embeddingModel?: string; dimension?: number };

const baseSelect = { id: true, name: true, description: true, embeddingModel: true, dimension: true, createdAt: true, updatedAt: true } as const;

export async function knowledgeBasesOfWorkspace(tx: Tx, workspaceId: string): Promise<KnowledgeBaseView[]> {
  const bases = await tx.knowledgeBase.findMany({ where: { workspaceId }, select: baseSelect, orderBy: { name: 'asc' } });
  const counts = await tx.knowledgeDocument.groupBy({
    by: ['knowledgeBaseId', 'status'],
    where: { workspaceId },
    _count: { _all: true },
    _sum: { chunkCount: true },
  });
  return bases.map((base) => {
    const own = counts.filter((c) => c.knowledgeBaseId === base.id);
    return {
      ...base,
      documentCount: own.reduce((n, c) => n + c._count._all, 0),
      readyCount: own.filter((c) => c.status === 'ready').reduce((n, c) => n + c._count._all, 0),
      chunkCount: own.reduce((n, c) => n + (c._sum.chunkCount ?? 0), 0),
    };
  });
}

export async function knowledgeBase(tx: Tx, workspaceId: string, knowledgeBaseId: string): Promise<KnowledgeBaseView> {
  const found = (await knowledgeBasesOfWorkspace(tx, workspaceId)).find((b) => b.id === knowledgeBaseId);
  if (!found) throw new NotFound('Knowledge base not found');
  return found;
}

export async function createKnowledgeBase(tx: Tx, actor: Actor, input: KnowledgeBaseInput): Promise<KnowledgeBaseView> {
  const choice = embeddingChoice(input.embeddingModel, input.dimension);
  try {
    const row = await tx.knowledgeBase.create({
      data: {
        workspaceId: actor.workspaceId,
        name: input.name.trim(),
        description: (input.description ?? '').trim(),
        embeddingModel: choice.model,
        dimension: choice.dimension,
        createdBy: actor.userId,
      },
      select: { id: true },
    });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'knowledge_base.created', target: input.name.trim() });
    return knowledgeBase(tx, actor.workspaceId, row.id);
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(`A knowledge base named ${input.name.trim()} already exists`);
    throw error;
  }
}

export async function updateKnowledgeBase(
  tx: Tx,
  actor: Actor,
  knowledgeBaseId: string,
  input: { name: string; description: string },
): Promise<KnowledgeBaseView> {
  await knowledgeBase(tx, actor.workspaceId, knowledgeBaseId);
  try {
    await tx.knowledgeBase.update({
      where: { workspaceId_id: { workspaceId: actor.workspaceId, id: knowledgeBaseId } },
      data: { name: input.name.trim(), description: input.description.trim(), updatedAt: new Date() },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(`A knowledge base named ${input.name.trim()} already exists`);
    throw error;
  }
  return knowledgeBase(tx, actor.workspaceId, knowledgeBaseId);
}

/**
 * Switches the model; every document goes back to the queue and is re-embedded by
 * the ingestion worker. Until a document is done, its old chunks stay but are not
 * searched (retrieval reads only chunks embedded with the base's current model).
 */
export async function changeEmbeddingModel(
  tx: Tx,
  actor: Actor,
  knowledgeBaseId: string,
  input: { embeddingModel: string; dimension?: number },
): Promise<{ knowledgeBase: KnowledgeBaseView; requeued: number }> {
  const current = await knowledgeBase(tx, actor.workspaceId, knowledgeBaseId);
  const choice = embeddingChoice(input.embeddingModel, input.dimension);
  if (choice.model === current.embeddingModel && choice.dimension === current.dimension) {
    return { knowledgeBase: current, requeued: 0 };
  }
  await tx.knowledgeBase.update({
    where: { workspaceId_id: { workspaceId: actor.workspaceId, id: knowledgeBaseId } },
    data: { embeddingModel: choice.model, dimension: choice.dimension, updatedAt: new Date() },
  });
  const requeued = await tx.knowledgeDocument.updateMany({
    where: { workspaceId: actor.workspaceId, knowledgeBaseId },
    data: { status: 'queued', progress: 0, attemptCount: 0, failureReason: null, runAfter: new Date(), leaseOwner: null, leaseExpiresAt: null, updatedAt: new Date() },
  });
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    action: 'knowledge_base.model_changed',
    target: `${current.name}: ${choice.model}`,
  });
  return { knowledgeBase: await knowledgeBase(tx, actor.workspaceId, knowledgeBaseId), requeued: requeued.count };
}

export async function deleteKnowledgeBase(tx: Tx, actor: Actor, knowledgeBaseId: string): Promise<void> {
  const current = await knowledgeBase(tx, actor.workspaceId, knowledgeBaseId);
  await tx.knowledgeBase.delete({ where: { workspaceId_id: { workspaceId: actor.workspaceId, id: knowledgeBaseId } } });
  await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'knowledge_base.deleted', target: current.name });
}

/** The models offered when creating a base (a workspace provider's model can be named too). */
export function builtInEmbeddingModels(): { model: string; dimension: number; label: string }[] {
  return Object.entries(BUILT_IN_EMBEDDING_MODELS).map(([model, m]) => ({ model, ...m }));
}

/** Of the given ids, those that name knowledge bases of this workspace. */
export async function existingKnowledgeBaseIds(tx: Tx, workspaceId: string, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await tx.knowledgeBase.findMany({ where: { workspaceId, id: { in: [...ids] } }, select: { id: true } });
  return rows.map((r) => r.id);
}
