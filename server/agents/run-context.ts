// What a worker needs to execute (or resume) a run, read in one short
// transaction: the run, its agent version with the rendered system prompt, its
// toolbox, the steps already written, and the deadline (fixed at the first start).
import type OpenAI from 'openai';
import { withWorkspace } from '../db/with-workspace';
import { privateEgressAllowed } from '../llm/egress-grants';
import { agentVersion } from './agents';
import type { AgentVersionView } from './agent-versions';
import { runtimeCustomTools } from './custom-tools';
import { snippetBodiesOfWorkspace } from './prompt-snippets';
import { renderSystemPrompt } from './prompt-template';
import type { RunState } from './run-states';
import { stepsOfRun, type RunStepView } from './runs';
import { toolsFor, type Toolbox } from './tools/tool-registry';
import { KNOWLEDGE_SEARCH_TOOL, knowledgeSearchTool, type CitedPassage } from './tools/knowledge-search';

export type RunContext = {
  runId: string;
  workspaceId: string;
  agentId: string;
  status: RunState;
  cancelRequested: boolean;
  deadline: Date;
  input: string;
  version: AgentVersionView;
  systemPrompt: string;
  toolbox: Toolbox;
  allowPrivateAddresses: boolean;
  steps: RunStepView[];
};

export async function loadRunContext(workspaceId: string, runId: string): Promise<RunContext> {
  return withWorkspace(workspaceId, async (tx) => {
    const run = await tx.run.findUniqueOrThrow({ where: { workspaceId_id: { workspaceId, id: runId } } });
    const version = await agentVersion(tx, workspaceId, run.agentId, run.agentVersion);
    let deadline = run.deadlineAt;
    if (!deadline) {
      deadline = new Date((run.startedAt ?? new Date()).getTime() + version.maxRunSeconds * 1000);
      await tx.run.update({ where: { workspaceId_id: { workspaceId, id: runId } }, data: { deadlineAt: deadline } });
    }
    const prompt = renderSystemPrompt(version, run.variables as Record<string, string>, await snippetBodiesOfWorkspace(tx, workspaceId));
    return {
      runId,
      workspaceId,
      agentId: run.agentId,
      status: run.status as RunState,
      cancelRequested: run.cancelRequested,
      deadline,
      input: run.input,
      version,
      systemPrompt: prompt.text,
      toolbox: toolsFor(version.tools, await runtimeCustomTools(tx, workspaceId), searchesByTool(version) ? [knowledgeSearchTool] : []),
      allowPrivateAddresses: await privateEgressAllowed(tx, workspaceId),
      steps: await stepsOfRun(tx, workspaceId, runId),
    };
  });
}

/** The version searches its knowledge bases only when the model calls knowledge_search. */
function searchesByTool(version: AgentVersionView): boolean {
  return version.knowledgeBaseIds.length > 0 && version.knowledgeMode === 'tool';
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

/** The conversation so far: system prompt (with automatically retrieved passages), the user's input, then each written step. */
export function messagesOf(context: Pick<RunContext, 'systemPrompt' | 'input' | 'steps'>): OpenAI.Chat.ChatCompletionMessageParam[] {
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [];
  const retrieved = context.steps.filter(isAutomaticRetrieval).map((step) => passagesText(step.toolResult));
  const system = [context.systemPrompt.trim() ? context.systemPrompt : '', ...retrieved].filter(Boolean).join('\n\n');
  if (system) messages.push({ role: 'system', content: system });
  messages.push({ role: 'user', content: context.input });
  for (const step of context.steps) {
    if (isAutomaticRetrieval(step)) continue;
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
