// What a worker needs to execute (or resume) a run, read in one short
// transaction: the run, its agent version with the rendered system prompt, its
// toolbox, the steps already written, and the deadline (fixed at the first start).
// Reads that cannot change the answer are skipped: snippets for a prompt without
// includes, custom tools for a version with built-ins only, steps on a first
// claim, and a published version already read (versions are immutable).
import type OpenAI from 'openai';
import { withWorkspace, type Tx } from '../db/with-workspace';
import { privateEgressAllowed } from '../llm/egress-grants';
import { agentVersion } from './agents';
import type { AgentVersionView } from './agent-versions';
import { runtimeCustomTools } from './custom-tools';
import { snippetBodiesOfWorkspace } from './prompt-snippets';
import { parseTemplate, renderSystemPrompt } from './prompt-template';
import type { RunState } from './run-states';
import { stepsOfRun, type RunStepView } from './runs';
import { BUILT_IN_TOOL_NAMES, toolsFor, type Toolbox } from './tools/tool-registry';

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

/** Versions never change once published: each is read once per process (keyed by its workspace too). */
const versions = new Map<string, AgentVersionView>();
const MAX_CACHED_VERSIONS = 1_000;

async function publishedVersion(tx: Tx, workspaceId: string, agentId: string, number: number): Promise<AgentVersionView> {
  const key = `${workspaceId}|${agentId}|${number}`;
  const cached = versions.get(key);
  if (cached) return cached;
  const version = await agentVersion(tx, workspaceId, agentId, number);
  if (versions.size >= MAX_CACHED_VERSIONS) versions.clear();
  versions.set(key, version);
  return version;
}

/**
 * @param firstClaim the run was never claimed before this claim (attempt 1): no
 *   step can exist yet, since steps are written only under a claimed lease.
 */
export async function loadRunContext(workspaceId: string, runId: string, options: { firstClaim?: boolean } = {}): Promise<RunContext> {
  return withWorkspace(workspaceId, async (tx) => {
    const run = await tx.run.findUniqueOrThrow({ where: { workspaceId_id: { workspaceId, id: runId } } });
    const version = await publishedVersion(tx, workspaceId, run.agentId, run.agentVersion);
    let deadline = run.deadlineAt;
    if (!deadline) {
      deadline = new Date((run.startedAt ?? new Date()).getTime() + version.maxRunSeconds * 1000);
      await tx.run.update({ where: { workspaceId_id: { workspaceId, id: runId } }, data: { deadlineAt: deadline } });
    }
    const includes = parseTemplate(version.systemPrompt).some((part) => part.kind === 'include');
    const snippets = includes ? await snippetBodiesOfWorkspace(tx, workspaceId) : new Map<string, string>();
    const prompt = renderSystemPrompt(version, run.variables as Record<string, string>, snippets);
    const customTools = version.tools.every((name) => BUILT_IN_TOOL_NAMES.includes(name)) ? [] : await runtimeCustomTools(tx, workspaceId);
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
      toolbox: toolsFor(version.tools, customTools),
      allowPrivateAddresses: await privateEgressAllowed(tx, workspaceId),
      steps: options.firstClaim ? [] : await stepsOfRun(tx, workspaceId, runId),
    };
  });
}

/** The conversation so far: system prompt, the user's input, then each written step. */
export function messagesOf(context: Pick<RunContext, 'systemPrompt' | 'input' | 'steps'>): OpenAI.Chat.ChatCompletionMessageParam[] {
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [];
  if (context.systemPrompt.trim()) messages.push({ role: 'system', content: context.systemPrompt });
  messages.push({ role: 'user', content: context.input });
  for (const step of context.steps) {
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
