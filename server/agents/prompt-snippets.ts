// The workspace prompt library: named snippets that system prompts include with
// {{> name}}. A snippet's name is fixed once created; a body must parse and may
// include other snippets but never loop; a snippet still included by an agent's
// published version or by another snippet cannot be deleted.
import { Conflict, InvalidInput, NotFound } from '../domain-errors';
import type { Tx } from '../db/with-workspace';
import { isUniqueViolation } from '../db/prisma-errors';
import { recordAudit } from '../observability/audit';
import type { Actor } from '../tenancy/members';
import { expandTemplate, includedSnippets, SNIPPET_NAME, SNIPPET_NAME_RULE, type SnippetBodies } from './prompt-template';

export const MAX_SNIPPET_CHARS = 16_000;

export type SnippetView = {
  id: string;
  name: string;
  description: string;
  body: string;
  createdAt: Date;
  updatedAt: Date;
  /** Agents whose published version includes it, and snippets that include it. */
  usedBy: string[];
};

const select = { id: true, name: true, description: true, body: true, createdAt: true, updatedAt: true } as const;

export async function snippetBodiesOfWorkspace(tx: Tx, workspaceId: string): Promise<Map<string, string>> {
  const rows = await tx.promptSnippet.findMany({ where: { workspaceId }, select: { name: true, body: true } });
  return new Map(rows.map((r) => [r.name, r.body]));
}

/** Who includes each snippet: "agent Name" for published versions, "snippet name" for other snippets. */
async function includersOf(tx: Tx, workspaceId: string): Promise<Map<string, string[]>> {
  const prompts = await tx.$queryRaw<{ name: string; system_prompt: string }[]>`
    SELECT a.name, v.system_prompt
    FROM agents a
    JOIN agent_versions v ON v.workspace_id = a.workspace_id AND v.agent_id = a.id AND v.version = a.published_version
    WHERE a.workspace_id = ${workspaceId}::uuid AND a.archived_at IS NULL`;
  const snippets = await snippetBodiesOfWorkspace(tx, workspaceId);
  const users = new Map<string, string[]>();
  const note = (included: string, by: string) => users.set(included, [...(users.get(included) ?? []), by]);
  for (const p of prompts) for (const name of includedSnippets(p.system_prompt)) note(name, `agent ${p.name}`);
  for (const [snippet, body] of snippets) for (const name of includedSnippets(body)) note(name, `snippet ${snippet}`);
  return users;
}

export async function snippetsOfWorkspace(tx: Tx, workspaceId: string): Promise<SnippetView[]> {
  const rows = await tx.promptSnippet.findMany({ where: { workspaceId }, orderBy: { name: 'asc' }, select });
  const users = await includersOf(tx, workspaceId);
  return rows.map((r) => ({ ...r, usedBy: users.get(r.name) ?? [] }));
}

async function snippetById(tx: Tx, workspaceId: string, snippetId: string) {
  const snippet = await tx.promptSnippet.findFirst({ where: { id: snippetId, workspaceId }, select });
  if (!snippet) throw new NotFound('Snippet not found');
  return snippet;
}

/** The body parses, its includes exist, and with it in the library nothing loops. */
function checkBody(name: string, body: string, library: SnippetBodies): string {
  const normalised = body.replace(/\r\n/g, '\n');
  if (normalised.trim() === '') throw new InvalidInput('Write the snippet text.', 'body');
  if (normalised.length > MAX_SNIPPET_CHARS) throw new InvalidInput(`Keep a snippet under ${MAX_SNIPPET_CHARS} characters.`, 'body');
  const withThis = new Map(library).set(name, normalised);
  expandTemplate(`{{> ${name}}}`, withThis, 'body', 'The snippet');
  return normalised;
}

type SnippetInput = { name: string; description: string; body: string };

export async function createSnippet(tx: Tx, actor: Actor, input: SnippetInput): Promise<SnippetView> {
  const name = input.name.trim();
  if (!SNIPPET_NAME.test(name)) throw new InvalidInput(SNIPPET_NAME_RULE, 'name');
  const library = await snippetBodiesOfWorkspace(tx, actor.workspaceId);
  if (library.has(name)) throw new Conflict(`A snippet named ${name} already exists`);
  const body = checkBody(name, input.body, library);
  try {
    const created = await tx.promptSnippet.create({
      data: { workspaceId: actor.workspaceId, name, description: input.description.trim(), body, createdBy: actor.userId },
      select,
    });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'prompt_snippet.created', target: name });
    return { ...created, usedBy: [] };
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(`A snippet named ${name} already exists`);
    throw error;
  }
}

export async function updateSnippet(
  tx: Tx,
  actor: Actor,
  snippetId: string,
  input: Omit<SnippetInput, 'name'>,
): Promise<SnippetView> {
  const snippet = await snippetById(tx, actor.workspaceId, snippetId);
  const body = checkBody(snippet.name, input.body, await snippetBodiesOfWorkspace(tx, actor.workspaceId));
  const updated = await tx.promptSnippet.update({
    where: { id: snippet.id },
    data: { body, description: input.description.trim(), updatedAt: new Date() },
    select,
  });
  await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'prompt_snippet.updated', target: snippet.name });
  return { ...updated, usedBy: (await includersOf(tx, actor.workspaceId)).get(snippet.name) ?? [] };
}

export async function deleteSnippet(tx: Tx, actor: Actor, snippetId: string): Promise<void> {
  const snippet = await snippetById(tx, actor.workspaceId, snippetId);
  const users = (await includersOf(tx, actor.workspaceId)).get(snippet.name) ?? [];
  if (users.length > 0) throw new Conflict(`The snippet ${snippet.name} is included by ${users.join(', ')}; remove those includes first`);
  await tx.promptSnippet.deleteMany({ where: { id: snippet.id, workspaceId: actor.workspaceId } });
  await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'prompt_snippet.deleted', target: snippet.name });
}
