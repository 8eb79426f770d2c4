// Agents and their immutable versions: create (with version 1), publish a new
// version, roll back (an old version's content published as a new one), archive,
// list, read any version and diff two. Version numbers are assigned under the
// agent row's lock, so concurrent publishes get consecutive numbers, never one twice.
import { Conflict, InvalidInput, NotFound } from '../domain-errors';
import type { Tx } from '../db/with-workspace';
import { isUniqueViolation } from '../db/prisma-errors';
import { recordAudit } from '../observability/audit';
import type { Actor } from '../tenancy/members';
import { contentOf, validatedContent, versionData, versionSelect, versionView, type AgentVersionView, type VersionContent, type VersionInput } from './agent-versions';
import { snippetBodiesOfWorkspace } from './prompt-snippets';
import { renderSystemPrompt, type RenderedPrompt } from './prompt-template';
import { diffVersions, type VersionDiff } from './version-diff';

export type AgentSummary = {
  id: string;
  name: string;
  description: string;
  publishedVersion: number;
  model: string;
  archived: boolean;
  updatedAt: Date;
};

export type AgentView = Omit<AgentSummary, 'model'> & { createdAt: Date; current: AgentVersionView };

export type VersionSummary = { version: number; changeNote: string; model: string; createdAt: Date; authorName: string | null };

const agentSelect = { id: true, name: true, description: true, publishedVersion: true, archivedAt: true, createdAt: true, updatedAt: true } as const;

async function agentRow(tx: Tx, workspaceId: string, agentId: string) {
  const agent = await tx.agent.findFirst({ where: { id: agentId, workspaceId }, select: agentSelect });
  if (!agent) throw new NotFound('Agent not found');
  return agent;
}

export async function agentVersion(tx: Tx, workspaceId: string, agentId: string, version: number): Promise<AgentVersionView> {
  const row = await tx.agentVersion.findFirst({ where: { workspaceId, agentId, version }, select: versionSelect });
  if (!row) throw new NotFound(`Version ${version} not found`);
  return versionView(row);
}

export async function agentsOfWorkspace(tx: Tx, workspaceId: string): Promise<AgentSummary[]> {
  const agents = await tx.agent.findMany({ where: { workspaceId }, orderBy: [{ archivedAt: { sort: 'desc', nulls: 'first' } }, { name: 'asc' }], select: agentSelect });
  const current = await tx.agentVersion.findMany({
    where: { workspaceId, OR: agents.map((a) => ({ agentId: a.id, version: a.publishedVersion })) },
    select: { agentId: true, model: true },
  });
  const modelOf = new Map(current.map((v) => [v.agentId, v.model]));
  return agents.map((a) => ({
    id: a.id,
    name: a.name,
    description: a.description,
    publishedVersion: a.publishedVersion,
    model: modelOf.get(a.id) ?? '',
    archived: a.archivedAt !== null,
    updatedAt: a.updatedAt,
  }));
}

export async function agentById(tx: Tx, workspaceId: string, agentId: string): Promise<AgentView> {
  const agent = await agentRow(tx, workspaceId, agentId);
  const { archivedAt, ...rest } = agent;
  return { ...rest, archived: archivedAt !== null, current: await agentVersion(tx, workspaceId, agentId, agent.publishedVersion) };
}

/** Newest first. */
export async function versionsOfAgent(tx: Tx, workspaceId: string, agentId: string): Promise<VersionSummary[]> {
  await agentRow(tx, workspaceId, agentId);
  const rows = await tx.agentVersion.findMany({
    where: { workspaceId, agentId },
    orderBy: { version: 'desc' },
    select: { version: true, changeNote: true, model: true, createdAt: true, createdBy: true },
  });
  const authorIds = [...new Set(rows.flatMap((r) => (r.createdBy ? [r.createdBy] : [])))];
  // Users are visible to a workspace only as its members; a former member shows no name.
  const authors = await tx.user.findMany({ where: { id: { in: authorIds } }, select: { id: true, name: true } });
  const nameOf = new Map(authors.map((u) => [u.id, u.name]));
  return rows.map(({ createdBy, ...r }) => ({ ...r, authorName: createdBy ? (nameOf.get(createdBy) ?? null) : null }));
}

export type CreateAgentInput = VersionInput & { name: string; description: string; changeNote: string };

export async function createAgent(tx: Tx, actor: Actor, input: CreateAgentInput): Promise<AgentView> {
  const name = input.name.trim();
  if (name.length < 2 || name.length > 80) throw new InvalidInput('Use 2–80 characters for the name.', 'name');
  const taken = await tx.agent.findFirst({ where: { workspaceId: actor.workspaceId, name }, select: { id: true } });
  if (taken) throw new Conflict(`An agent named ${name} already exists`);
  const content = await validatedContent(tx, actor.workspaceId, input);
  try {
    const agent = await tx.agent.create({
      data: { workspaceId: actor.workspaceId, name, description: input.description.trim(), createdBy: actor.userId },
      select: { id: true },
    });
    await tx.agentVersion.create({
      data: {
        workspaceId: actor.workspaceId,
        agentId: agent.id,
        version: 1,
        ...versionData(content),
        changeNote: input.changeNote.trim() || 'First version',
        createdBy: actor.userId,
      },
    });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'agent.created', target: name, metadata: { agentId: agent.id, version: 1 } });
    return agentById(tx, actor.workspaceId, agent.id);
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(`An agent named ${name} already exists`);
    throw error;
  }
}

/** Takes the next version number under the agent row's lock (the UPDATE holds it until commit). */
async function nextVersion(tx: Tx, workspaceId: string, agentId: string, description?: string): Promise<number> {
  const agent = await agentRow(tx, workspaceId, agentId);
  if (agent.archivedAt) throw new Conflict('This agent is archived; it cannot get new versions');
  const updated = await tx.agent.update({
    where: { id: agent.id },
    data: { publishedVersion: { increment: 1 }, updatedAt: new Date(), ...(description === undefined ? {} : { description: description.trim() }) },
    select: { publishedVersion: true },
  });
  return updated.publishedVersion;
}

async function insertVersion(tx: Tx, actor: Actor, agentId: string, version: number, content: VersionContent, changeNote: string) {
  await tx.agentVersion.create({
    data: { workspaceId: actor.workspaceId, agentId, version, ...versionData(content), changeNote, createdBy: actor.userId },
  });
}

export type PublishInput = VersionInput & { changeNote: string; description?: string };

export async function publishAgentVersion(tx: Tx, actor: Actor, agentId: string, input: PublishInput): Promise<AgentView> {
  const agent = await agentRow(tx, actor.workspaceId, agentId);
  const content = await validatedContent(tx, actor.workspaceId, input);
  const version = await nextVersion(tx, actor.workspaceId, agent.id, input.description);
  await insertVersion(tx, actor, agent.id, version, content, input.changeNote.trim());
  await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'agent.published', target: agent.name, metadata: { agentId: agent.id, version } });
  return agentById(tx, actor.workspaceId, agent.id);
}

/**
 * Publishes version `version`'s content again as a new version. Its tools and
 * snippets must still exist: a rollback is a publish and passes the same checks.
 */
export async function rollbackAgent(tx: Tx, actor: Actor, agentId: string, version: number): Promise<AgentView> {
  const agent = await agentRow(tx, actor.workspaceId, agentId);
  const old = await agentVersion(tx, actor.workspaceId, agent.id, version);
  if (version === agent.publishedVersion) throw new Conflict(`Version ${version} is already the published version`);
  const content = await validatedContent(tx, actor.workspaceId, contentOf(old));
  const next = await nextVersion(tx, actor.workspaceId, agent.id);
  await insertVersion(tx, actor, agent.id, next, content, `Rolled back to v${version}`);
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    action: 'agent.rolled_back',
    target: agent.name,
    metadata: { agentId: agent.id, version: next, restoredVersion: version },
  });
  return agentById(tx, actor.workspaceId, agent.id);
}

export async function archiveAgent(tx: Tx, actor: Actor, agentId: string): Promise<AgentView> {
  const agent = await agentRow(tx, actor.workspaceId, agentId);
  if (!agent.archivedAt) {
    await tx.agent.update({ where: { id: agent.id }, data: { archivedAt: new Date(), updatedAt: new Date() } });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'agent.archived', target: agent.name, metadata: { agentId: agent.id } });
  }
  return agentById(tx, actor.workspaceId, agent.id);
}

export async function diffAgentVersions(tx: Tx, workspaceId: string, agentId: string, from: number, to: number): Promise<VersionDiff> {
  await agentRow(tx, workspaceId, agentId);
  return diffVersions(await agentVersion(tx, workspaceId, agentId, from), await agentVersion(tx, workspaceId, agentId, to));
}

export type PromptPreview = RenderedPrompt & { problem: string | null };

/**
 * A version's system prompt rendered with the current prompt library and the
 * declared defaults; `problem` says why it cannot render (e.g. a snippet since removed).
 */
export async function previewSystemPrompt(tx: Tx, workspaceId: string, agentId: string, version: number): Promise<PromptPreview> {
  await agentRow(tx, workspaceId, agentId);
  const v = await agentVersion(tx, workspaceId, agentId, version);
  try {
    return { ...renderSystemPrompt(v, {}, await snippetBodiesOfWorkspace(tx, workspaceId)), problem: null };
  } catch (error) {
    if (error instanceof InvalidInput) return { text: '', missingVariables: [], problem: error.message };
    throw error;
  }
}
