// A workspace's custom HTTP tools as stored: every definition passes
// parseCustomHttpToolDefinition before it is saved, its auth secret must exist in the
// workspace vault (a composite key enforces it), and a tool that an agent's published
// version enables cannot be deleted or renamed away. Saving one puts its host on
// the workspace's egress allow-list. Changes are audited.
import { Conflict, InvalidInput, NotFound } from '../domain-errors';
import type { Tx } from '../db/with-workspace';
import type { Prisma } from '../db/generated/client';
import { isUniqueViolation } from '../db/prisma-errors';
import { recordAudit } from '../observability/audit';
import { allowToolHost } from '../net/egress-allow-list';
import type { Actor } from '../tenancy/members';
import { customHttpTool, parseCustomHttpToolDefinition, urlTemplateHost, type CustomHttpToolDefinition } from './tools/custom-http-tool';
import type { Tool } from './tools/tool-definition';

export type CustomToolView = {
  id: string;
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  method: CustomHttpToolDefinition['method'];
  urlTemplate: string;
  headers: Record<string, string>;
  /** secretName is null when the secret was destroyed: the tool is not offered to agents until fixed. */
  auth: { header: string; secretName: string | null; prefix: string } | null;
  enabled: boolean;
  updatedAt: Date;
};

const select = {
  id: true,
  name: true,
  description: true,
  parameters: true,
  method: true,
  urlTemplate: true,
  headers: true,
  authHeader: true,
  authSecretName: true,
  authPrefix: true,
  enabled: true,
  updatedAt: true,
} as const;

type Row = Prisma.CustomToolGetPayload<{ select: typeof select }>;

function view(row: Row): CustomToolView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    parameters: row.parameters as Record<string, unknown>,
    method: row.method as CustomToolView['method'],
    urlTemplate: row.urlTemplate,
    headers: row.headers as Record<string, string>,
    auth: row.authHeader ? { header: row.authHeader, secretName: row.authSecretName, prefix: row.authPrefix } : null,
    enabled: row.enabled,
    updatedAt: row.updatedAt,
  };
}

export async function customToolsOfWorkspace(tx: Tx, workspaceId: string): Promise<CustomToolView[]> {
  const rows = await tx.customTool.findMany({ where: { workspaceId }, orderBy: { name: 'asc' }, select });
  return rows.map(view);
}

/** The enabled custom tools as the runtime uses them (for toolsFor); a tool whose secret is gone is left out. */
export async function runtimeCustomTools(tx: Tx, workspaceId: string): Promise<Tool[]> {
  const rows = await tx.customTool.findMany({ where: { workspaceId, enabled: true }, select });
  return rows.flatMap((row) => {
    const { auth, ...v } = view(row);
    if (auth && auth.secretName === null) return [];
    return [customHttpTool(parseCustomHttpToolDefinition({ ...v, auth }))];
  });
}

async function toolById(tx: Tx, workspaceId: string, toolId: string): Promise<CustomToolView> {
  const row = await tx.customTool.findFirst({ where: { id: toolId, workspaceId }, select });
  if (!row) throw new NotFound('Tool not found');
  return view(row);
}

/** Names of the live agents whose published version enables the tool. */
async function agentsEnabling(tx: Tx, workspaceId: string, toolName: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ name: string }[]>`
    SELECT a.name
    FROM agents a
    JOIN agent_versions v ON v.workspace_id = a.workspace_id AND v.agent_id = a.id AND v.version = a.published_version
    WHERE a.workspace_id = ${workspaceId}::uuid AND a.archived_at IS NULL AND ${toolName} = ANY (v.tools)
    ORDER BY a.name`;
  return rows.map((r) => r.name);
}

/** A tool as the tools page submits it: the auth header as three flat fields, blank for none. */
export type CustomToolInput = Omit<CustomHttpToolDefinition, 'headers' | 'auth'> & {
  headers?: Record<string, string>;
  authHeader: string;
  authSecretName: string;
  authPrefix: string;
  enabled: boolean;
};

function definitionInput(input: CustomToolInput) {
  const header = input.authHeader.trim();
  const secretName = input.authSecretName.trim();
  if (header && !secretName) throw new InvalidInput('Choose the secret that holds the credential.', 'auth.secretName');
  if (secretName && !header) throw new InvalidInput('Name the header that carries the secret, e.g. Authorization.', 'auth.header');
  const { authHeader: _h, authSecretName: _s, authPrefix, enabled: _e, ...rest } = input;
  return { ...rest, auth: header ? { header, secretName, prefix: authPrefix } : null };
}

/**
 * Checks a submitted definition and puts its host on the workspace's egress
 * allow-list (the admins who save tools are the ones who keep the list), so a
 * saved tool can be called; removing the host later stops the tool again.
 */
async function checkedDefinition(tx: Tx, actor: Actor, input: CustomToolInput): Promise<CustomHttpToolDefinition> {
  const definition = parseCustomHttpToolDefinition(definitionInput(input));
  if (definition.auth) {
    const secret = await tx.secret.findFirst({ where: { workspaceId: actor.workspaceId, name: definition.auth.secretName }, select: { id: true } });
    if (!secret) throw new InvalidInput(`There is no secret named ${definition.auth.secretName} in this workspace.`, 'auth.secretName');
  }
  await allowToolHost(tx, actor, urlTemplateHost(definition.urlTemplate), definition.name).catch((error: unknown) => {
    if (error instanceof InvalidInput) throw new InvalidInput(`The URL's host cannot be allowed: ${error.message}`, 'urlTemplate');
    throw error;
  });
  return definition;
}

function columnsOf(definition: CustomHttpToolDefinition) {
  return {
    description: definition.description,
    parameters: definition.parameters as Prisma.InputJsonObject,
    method: definition.method,
    urlTemplate: definition.urlTemplate,
    headers: definition.headers,
    authHeader: definition.auth?.header ?? null,
    authSecretName: definition.auth?.secretName ?? null,
    authPrefix: definition.auth?.prefix ?? '',
  };
}

export async function createCustomTool(tx: Tx, actor: Actor, input: CustomToolInput): Promise<CustomToolView> {
  const definition = await checkedDefinition(tx, actor, input);
  const taken = await tx.customTool.findFirst({ where: { workspaceId: actor.workspaceId, name: definition.name }, select: { id: true } });
  if (taken) throw new Conflict(`A tool named ${definition.name} already exists`);
  try {
    const row = await tx.customTool.create({
      data: { workspaceId: actor.workspaceId, name: definition.name, ...columnsOf(definition), enabled: input.enabled, createdBy: actor.userId },
      select,
    });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'custom_tool.created', target: row.name });
    return view(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(`A tool named ${definition.name} already exists`);
    throw error;
  }
}

/** Replaces a tool's definition; its name stays, since agent versions refer to it. */
export async function updateCustomTool(tx: Tx, actor: Actor, toolId: string, input: Omit<CustomToolInput, 'name'>): Promise<CustomToolView> {
  const tool = await toolById(tx, actor.workspaceId, toolId);
  const definition = await checkedDefinition(tx, actor, { ...input, name: tool.name });
  const row = await tx.customTool.update({
    where: { id: tool.id },
    data: { ...columnsOf(definition), enabled: input.enabled, updatedAt: new Date() },
    select,
  });
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    action: 'custom_tool.updated',
    target: tool.name,
    metadata: { enabled: input.enabled },
  });
  return view(row);
}

export async function deleteCustomTool(tx: Tx, actor: Actor, toolId: string): Promise<void> {
  const tool = await toolById(tx, actor.workspaceId, toolId);
  const agents = await agentsEnabling(tx, actor.workspaceId, tool.name);
  if (agents.length > 0) {
    throw new Conflict(`The tool ${tool.name} is enabled by ${agents.join(', ')}; publish versions without it first`);
  }
  await tx.customTool.deleteMany({ where: { id: tool.id, workspaceId: actor.workspaceId } });
  await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'custom_tool.deleted', target: tool.name });
}
