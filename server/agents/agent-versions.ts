// The content of one agent version and the checks it passes before it is published:
// the template parses and its includes exist, every variable it uses is declared,
// the enabled tools exist in the workspace, and the structured-output schema compiles.
import Ajv from 'ajv';
import { InvalidInput } from '../domain-errors';
import type { Tx } from '../db/with-workspace';
import type { Prisma } from '../db/generated/client';
import { BUILT_IN_TOOL_NAMES } from './tools/tool-registry';
import { MAX_PROMPT_CHARS, usedVariables, VARIABLE_NAME, type DeclaredVariable } from './prompt-template';
import { snippetBodiesOfWorkspace } from './prompt-snippets';
import { existingKnowledgeBaseIds } from '../knowledge/knowledge-bases';

const MAX_OUTPUT_SCHEMA_BYTES = 32 * 1024;

export const KNOWLEDGE_MODES = ['automatic', 'tool'] as const;
export type KnowledgeMode = (typeof KNOWLEDGE_MODES)[number];

/** Everything a version holds besides its number, note and authorship. */
export type VersionContent = {
  systemPrompt: string;
  variables: DeclaredVariable[];
  /** Null: the workspace's default route (providers arrive with the LLM gateway). */
  providerId: string | null;
  model: string;
  temperature: number;
  maxSteps: number;
  maxRunSeconds: number;
  tools: string[];
  memoryEnabled: boolean;
  knowledgeBaseIds: string[];
  /** automatic: passages retrieved into the context before the first model call; tool: only via knowledge_search. */
  knowledgeMode: KnowledgeMode;
  outputSchema: Record<string, unknown> | null;
  /** Response cache: on/off, how long an answer is served, and the semantic threshold (null: exact matches only). */
  cacheEnabled: boolean;
  cacheTtlSeconds: number;
  cacheSimilarityThreshold: number | null;
};

/** The response cache settings of a version; a version written without them has the cache off. */
export type CacheSettings = Pick<VersionContent, 'cacheEnabled' | 'cacheTtlSeconds' | 'cacheSimilarityThreshold'>;
export const CACHE_OFF: CacheSettings = { cacheEnabled: false, cacheTtlSeconds: 3600, cacheSimilarityThreshold: null };

/** Content as callers hand it in: the cache settings may be left out (cache off). */
export type VersionInput = Omit<VersionContent, keyof CacheSettings> & Partial<CacheSettings>;

export type AgentVersionView = VersionContent & {
  id: string;
  agentId: string;
  version: number;
  changeNote: string;
  createdBy: string | null;
  createdAt: Date;
};

export const versionSelect = {
  id: true,
  agentId: true,
  version: true,
  systemPrompt: true,
  variables: true,
  providerId: true,
  model: true,
  temperature: true,
  maxSteps: true,
  maxRunSeconds: true,
  tools: true,
  memoryEnabled: true,
  knowledgeBaseIds: true,
  knowledgeMode: true,
  outputSchema: true,
  cacheEnabled: true,
  cacheTtlSeconds: true,
  cacheSimilarityThreshold: true,
  changeNote: true,
  createdBy: true,
  createdAt: true,
} as const;

type VersionRow = Prisma.AgentVersionGetPayload<{ select: typeof versionSelect }>;

export function versionView(row: VersionRow): AgentVersionView {
  return {
    ...row,
    knowledgeMode: row.knowledgeMode as KnowledgeMode,
    variables: (row.variables as DeclaredVariable[] | null) ?? [],
    outputSchema: (row.outputSchema as Record<string, unknown> | null) ?? null,
  };
}

/** The columns a version row is written with. */
export function versionData(content: VersionContent) {
  return {
    systemPrompt: content.systemPrompt,
    variables: content.variables as unknown as Prisma.InputJsonArray,
    providerId: content.providerId,
    model: content.model,
    temperature: content.temperature,
    maxSteps: content.maxSteps,
    maxRunSeconds: content.maxRunSeconds,
    tools: content.tools,
    memoryEnabled: content.memoryEnabled,
    knowledgeBaseIds: content.knowledgeBaseIds,
    knowledgeMode: content.knowledgeMode,
    outputSchema: content.outputSchema === null ? undefined : (content.outputSchema as Prisma.InputJsonObject),
    cacheEnabled: content.cacheEnabled,
    cacheTtlSeconds: content.cacheTtlSeconds,
    cacheSimilarityThreshold: content.cacheSimilarityThreshold,
  };
}

/** The content of an existing version, to publish again (rollback). */
export function contentOf(version: AgentVersionView): VersionContent {
  const { id: _id, agentId: _agent, version: _v, changeNote: _n, createdBy: _b, createdAt: _c, ...content } = version;
  return content;
}

const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true });

function checkOutputSchema(schema: Record<string, unknown> | null): void {
  if (schema === null) return;
  if (JSON.stringify(schema).length > MAX_OUTPUT_SCHEMA_BYTES) {
    throw new InvalidInput(`The structured output schema is larger than ${MAX_OUTPUT_SCHEMA_BYTES} bytes.`, 'outputSchema');
  }
  if (schema.type !== 'object') throw new InvalidInput('The structured output schema must describe an object ("type": "object").', 'outputSchema');
  if (!ajv.validateSchema(schema)) {
    throw new InvalidInput(`The structured output schema is not a valid JSON schema: ${ajv.errorsText(ajv.errors)}.`, 'outputSchema');
  }
  try {
    ajv.compile(schema);
  } catch (error) {
    throw new InvalidInput(`The structured output schema cannot be used: ${(error as Error).message}.`, 'outputSchema');
  }
}

function checkVariables(variables: readonly DeclaredVariable[], used: readonly string[]): void {
  const seen = new Set<string>();
  for (const v of variables) {
    if (!VARIABLE_NAME.test(v.name)) throw new InvalidInput(`"${v.name}" is not a variable name: use letters, digits and underscores.`, 'variables');
    if (seen.has(v.name)) throw new InvalidInput(`The variable ${v.name} is declared twice.`, 'variables');
    seen.add(v.name);
  }
  const undeclared = used.filter((name) => !seen.has(name));
  if (undeclared.length > 0) {
    throw new InvalidInput(`Declare the variables the prompt uses: ${undeclared.join(', ')}.`, 'variables');
  }
}

export const CACHE_TTL_SECONDS = { min: 10, max: 2_592_000 } as const;

function checkCacheSettings(content: Pick<VersionContent, 'cacheTtlSeconds' | 'cacheSimilarityThreshold'>): void {
  const ttl = content.cacheTtlSeconds;
  if (!Number.isInteger(ttl) || ttl < CACHE_TTL_SECONDS.min || ttl > CACHE_TTL_SECONDS.max) {
    throw new InvalidInput(`Keep cached answers for ${CACHE_TTL_SECONDS.min} to ${CACHE_TTL_SECONDS.max} seconds (30 days).`, 'cacheTtlSeconds');
  }
  const threshold = content.cacheSimilarityThreshold;
  if (threshold !== null && !(Number.isFinite(threshold) && threshold >= 0 && threshold <= 1)) {
    throw new InvalidInput('The similarity threshold is a number from 0 to 1, or off.', 'cacheSimilarityThreshold');
  }
}

async function checkTools(tx: Tx, workspaceId: string, tools: readonly string[]): Promise<void> {
  const custom = await tx.customTool.findMany({ where: { workspaceId }, select: { name: true } });
  const known = new Set([...BUILT_IN_TOOL_NAMES, ...custom.map((t) => t.name)]);
  const unknown = tools.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new InvalidInput(`Unknown tools: ${unknown.join(', ')}.`, 'tools');
}

/** Checks content against the workspace (snippets, tools) and returns it normalised. */
export async function validatedContent(tx: Tx, workspaceId: string, input: VersionInput): Promise<VersionContent> {
  const content: VersionContent = { ...CACHE_OFF, ...input };
  const systemPrompt = content.systemPrompt.replace(/\r\n/g, '\n');
  if (systemPrompt.trim() === '') throw new InvalidInput('Write a system prompt.', 'systemPrompt');
  if (systemPrompt.length > MAX_PROMPT_CHARS) throw new InvalidInput(`Keep the system prompt under ${MAX_PROMPT_CHARS} characters.`, 'systemPrompt');
  const model = content.model.trim();
  if (model === '') throw new InvalidInput('Choose a model.', 'model');
  const used = usedVariables(systemPrompt, await snippetBodiesOfWorkspace(tx, workspaceId));
  checkVariables(content.variables, used);
  const tools = [...new Set(content.tools)];
  await checkTools(tx, workspaceId, tools);
  checkOutputSchema(content.outputSchema);
  checkCacheSettings(content);
  const knowledgeBaseIds = [...new Set(content.knowledgeBaseIds)];
  const existing = new Set(await existingKnowledgeBaseIds(tx, workspaceId, knowledgeBaseIds));
  if (knowledgeBaseIds.some((id) => !existing.has(id))) throw new InvalidInput('A chosen knowledge base no longer exists.', 'knowledgeBaseIds');
  return { ...content, systemPrompt, model, tools, knowledgeBaseIds };
}
