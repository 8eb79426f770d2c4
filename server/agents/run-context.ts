// What a worker needs to execute (or resume) a run: the run, its agent version
// with the rendered system prompt, its toolbox and egress policy, the steps
// already written, and the deadline (fixed at the first start). The run, version
// and private-egress grant come in one statement (start_run_context(), migrations
// 0015 and 0023, under the app role and RLS, with the plan's caps on max steps and
// run duration applied over the version's); a second short transaction reads only what
// this run needs: snippets for a prompt with includes, custom tools for a version
// that enables one, the egress allow-list for a version with a tool that calls
// out, and the steps of a run claimed before. A run that names an end user and a
// thread opens that thread under withEndUser() (created on first use).
import type OpenAI from 'openai';
import { runStartRow, type RunStartRow } from '../db/run-statements';
import { withEndUser, withWorkspace } from '../db/with-workspace';
import type { ThreadHistory } from '../memory/thread-history';
import { historyMessages } from '../memory/thread-history';
import { openThread, type ThreadState } from '../memory/threads';
import { NotFound } from '../domain-errors';
import { versionSelect, versionView, type AgentVersionView } from './agent-versions';
import { allowListOfWorkspace } from '../net/egress-allow-list';
import { runtimeCustomTools } from './custom-tools';
import { snippetBodiesOfWorkspace } from './prompt-snippets';
import { parseTemplate, renderSystemPrompt } from './prompt-template';
import type { RunState } from './run-states';
import { stepsOfRun, type RunStepView } from './runs';
import { BUILT_IN_TOOL_NAMES, toolsFor, type Toolbox } from './tools/tool-registry';
import { KNOWLEDGE_SEARCH_TOOL, knowledgeSearchTool, type CitedPassage } from './tools/knowledge-search';
import { MEMORY_RECALL_TOOL, memoryRecallTool, memorySaveTool } from './tools/memory-tools';

export type RunContext = {
  runId: string;
  workspaceId: string;
  agentId: string;
  agentName: string;
  status: RunState;
  cancelRequested: boolean;
  deadline: Date;
  input: string;
  /** The version's settings, with max steps and max run seconds lowered to the plan's where the plan allows less. */
  version: AgentVersionView;
  /** Which of those two the plan lowered (the run's messages then name the plan's limit). */
  planCapped: { maxSteps: boolean; maxRunSeconds: boolean };
  systemPrompt: string;
  toolbox: Toolbox;
  /** The workspace's egress allow-list for http_request and custom tools, read when the run (re)starts. */
  allowedHosts: string[];
  allowPrivateAddresses: boolean;
  steps: RunStepView[];
  /** The application's id of the person the run serves, if it named one. */
  endUserId: string | null;
  /** The thread the run continues, opened under the end user when the run started. */
  thread: ThreadState | null;
  /** The part of the thread in the model context (set by the run loop, which may summarise). */
  history: ThreadHistory | null;
};

/**
 * @param firstClaim the run was never claimed before this claim (attempt 1): no
 *   step can exist yet, since steps are written only under a claimed lease.
 */
export async function loadRunContext(workspaceId: string, runId: string, options: { firstClaim?: boolean } = {}): Promise<RunContext> {
  const start = await runStartRow(workspaceId, runId);
  if (!start) throw new NotFound('Run not found');
  const run = camelCased(start.run) as StartedRun;
  if (!start.version) throw new NotFound(`Version ${run.agentVersion} not found`);
  const { version, planCapped } = cappedByPlan(versionView(versionRowOf(camelCased(start.version))), start.limits);
  const includes = parseTemplate(version.systemPrompt).some((part) => part.kind === 'include');
  const custom = !version.tools.every((name) => BUILT_IN_TOOL_NAMES.includes(name));
  const callsOut = custom || version.tools.includes('http_request');
  const rest =
    includes || callsOut || !options.firstClaim
      ? await withWorkspace(workspaceId, async (tx) => ({
          snippets: includes ? await snippetBodiesOfWorkspace(tx, workspaceId) : new Map<string, string>(),
          customTools: custom ? await runtimeCustomTools(tx, workspaceId) : [],
          allowedHosts: callsOut ? await allowListOfWorkspace(tx, workspaceId) : [],
          steps: options.firstClaim ? [] : await stepsOfRun(tx, workspaceId, runId),
        }))
      : { snippets: new Map<string, string>(), customTools: [], allowedHosts: [], steps: [] };
  const prompt = renderSystemPrompt(version, run.variables, rest.snippets);
  const endUserId = run.endUserId ?? null;
  const thread =
    endUserId && run.threadId
      ? await withEndUser(workspaceId, endUserId, (tx) => openThread(tx, { workspaceId, agentId: run.agentId, endUserId, threadId: run.threadId! }, run.input))
      : null;
  const memoryTools = usesMemory(version, endUserId) ? [memorySaveTool, memoryRecallTool] : [];
  return {
    runId,
    workspaceId,
    agentId: run.agentId,
    agentName: start.agentName,
    status: run.status,
    cancelRequested: run.cancelRequested,
    deadline: new Date(run.deadlineAt!),
    input: run.input,
    version,
    planCapped,
    systemPrompt: prompt.text,
    toolbox: toolsFor(version.tools, rest.customTools, [...(searchesByTool(version) ? [knowledgeSearchTool] : []), ...memoryTools]),
    allowedHosts: rest.allowedHosts,
    allowPrivateAddresses: start.allowPrivateAddresses,
    steps: rest.steps,
    endUserId,
    thread,
    history: null,
  };
}

/** The plan's caps on every run apply over the version's own settings (the deadline is capped the same way in start_run_context()). */
function cappedByPlan(version: AgentVersionView, limits: RunStartRow['limits']): Pick<RunContext, 'version' | 'planCapped'> {
  const planSeconds = limits.maxRunDurationMs / 1000;
  const planCapped = { maxSteps: limits.maxSteps < version.maxSteps, maxRunSeconds: planSeconds < version.maxRunSeconds };
  return {
    version: {
      ...version,
      maxSteps: Math.min(version.maxSteps, limits.maxSteps),
      maxRunSeconds: Math.min(version.maxRunSeconds, planSeconds),
    },
    planCapped,
  };
}

type StartedRun = {
  agentId: string;
  agentVersion: number;
  status: RunState;
  input: string;
  variables: Record<string, string>;
  cancelRequested: boolean;
  endUserId: string | null;
  threadId: string | null;
  /** Set by start_run_context() whenever the version exists. */
  deadlineAt: string | null;
};

/** snake_case column names to the camelCase field names of the Prisma models. */
function camelCased(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), value]));
}

/** The version's columns as Prisma would have selected them. */
function versionRowOf(row: Record<string, unknown>): Parameters<typeof versionView>[0] {
  const picked = Object.fromEntries(Object.keys(versionSelect).map((key) => [key, row[key]]));
  return { ...picked, createdAt: new Date(row.createdAt as string) } as Parameters<typeof versionView>[0];
}

/** The version searches its knowledge bases only when the model calls knowledge_search. */
function searchesByTool(version: AgentVersionView): boolean {
  return version.knowledgeBaseIds.length > 0 && version.knowledgeMode === 'tool';
}

/** Memory needs someone to remember: the version turns it on and the run names an end user. */
export function usesMemory(version: Pick<AgentVersionView, 'memoryEnabled'>, endUserId: string | null): boolean {
  return version.memoryEnabled && !!endUserId;
}

/** Automatic recall runs once, after any automatic retrieval and before the first model call. */
export function needsAutomaticRecall(context: Pick<RunContext, 'version' | 'steps' | 'endUserId'>, recallLimit: number): boolean {
  return (
    recallLimit > 0 &&
    usesMemory(context.version, context.endUserId) &&
    !needsAutomaticRetrieval(context) &&
    !context.steps.some((s) => s.kind === 'model' || isAutomaticRecall(s))
  );
}

/** The step automatic recall writes: a memory_recall step no model call asked for. */
export function isAutomaticRecall(step: Pick<RunStepView, 'kind' | 'toolName' | 'toolCallId'>): boolean {
  return step.kind === 'tool' && step.toolName === MEMORY_RECALL_TOOL && step.toolCallId === null;
}

function memoriesText(result: unknown): string {
  const memories = (result as { memories?: { text: string }[] } | null)?.memories ?? [];
  return memories.length ? `What you remember about this user:\n${memories.map((m) => `- ${m.text}`).join('\n')}` : '';
}

/** Automatic retrieval runs once, before the first model call, when the version asks for it. */
export function needsAutomaticRetrieval(context: Pick<RunContext, 'version' | 'steps'>): boolean {
  return context.version.knowledgeBaseIds.length > 0 && context.version.knowledgeMode === 'automatic' && context.steps.length === 0;
}

/** The step automatic retrieval writes: a knowledge_search step no model call asked for. */
export function isAutomaticRetrieval(step: Pick<RunStepView, 'kind' | 'toolName' | 'toolCallId'>): boolean {
  return step.kind === 'tool' && step.toolName === KNOWLEDGE_SEARCH_TOOL && step.toolCallId === null;
}

function passagesText(result: unknown): string {
  const passages = ((result as { passages?: CitedPassage[] } | null)?.passages ?? []).map(
    (p) => `[${p.citation}] ${p.document}${p.section ? ` › ${p.section}` : ''}\n${p.text}`,
  );
  return passages.length
    ? `Passages from the knowledge base (cite them by number):\n\n${passages.join('\n\n')}`
    : 'The knowledge base has no passage about this question.';
}

/**
 * The conversation so far: system prompt (with automatically retrieved passages,
 * recalled memories and the thread's summary), the thread's earlier turns, the
 * user's input, then each written step.
 */
export function messagesOf(context: Pick<RunContext, 'systemPrompt' | 'input' | 'steps'> & { history?: ThreadHistory | null }): OpenAI.Chat.ChatCompletionMessageParam[] {
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [];
  const retrieved = context.steps.filter(isAutomaticRetrieval).map((step) => passagesText(step.toolResult));
  const recalled = context.steps.filter(isAutomaticRecall).map((step) => memoriesText(step.toolResult));
  const summary = context.history?.summary ? `Summary of the earlier conversation:\n${context.history.summary}` : '';
  const system = [context.systemPrompt.trim() ? context.systemPrompt : '', ...retrieved, ...recalled, summary].filter(Boolean).join('\n\n');
  if (system) messages.push({ role: 'system', content: system });
  messages.push(...historyMessages(context.history ?? null));
  messages.push({ role: 'user', content: context.input });
  for (const step of context.steps) {
    if (isAutomaticRetrieval(step) || isAutomaticRecall(step)) continue;
    if (step.kind === 'model') {
      messages.push({
        role: 'assistant',
        content: step.content,
        ...(step.toolCalls.length
          ? { tool_calls: step.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) }
          : {}),
      });
    } else {
      messages.push({ role: 'tool', tool_call_id: step.toolCallId ?? '', content: JSON.stringify(step.toolResult ?? null) });
    }
  }
  return messages;
}

export type NextAction =
  | { kind: 'model' }
  | { kind: 'tool'; call: { id: string; name: string; arguments: string } }
  | { kind: 'done'; output: string }
  | { kind: 'out_of_steps' };

/** What comes after the written steps: the next tool call of the last model turn, a model call, or the end. */
export function nextAction(steps: readonly RunStepView[], maxSteps: number): NextAction {
  const lastModel = steps.findLast((s) => s.kind === 'model');
  if (lastModel) {
    const answered = new Set(steps.filter((s) => s.kind === 'tool' && s.stepIndex > lastModel.stepIndex).map((s) => s.toolCallId));
    const pending = lastModel.toolCalls.find((c) => !answered.has(c.id));
    if (pending) return { kind: 'tool', call: pending };
    if (!lastModel.toolCalls.length) return { kind: 'done', output: lastModel.content ?? '' };
  }
  if (steps.filter((s) => s.kind === 'model').length >= maxSteps) return { kind: 'out_of_steps' };
  return { kind: 'model' };
}
