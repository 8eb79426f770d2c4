// What a worker needs to execute (or resume) a run, read in one short
// transaction: the run, its agent version with the rendered system prompt, its
// toolbox and egress policy, the steps already written, and the deadline (fixed at
// the first start).
import type OpenAI from 'openai';
import { withWorkspace } from '../db/with-workspace';
import { privateEgressAllowed } from '../llm/egress-grants';
import { allowListOfWorkspace } from '../net/egress-allow-list';
import { agentVersion } from './agents';
import type { AgentVersionView } from './agent-versions';
import { runtimeCustomTools } from './custom-tools';
import { snippetBodiesOfWorkspace } from './prompt-snippets';
import { renderSystemPrompt } from './prompt-template';
import type { RunState } from './run-states';
import { stepsOfRun, type RunStepView } from './runs';
import { toolsFor, type Toolbox } from './tools/tool-registry';

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
  /** The workspace's egress allow-list for http_request and custom tools, read when the run (re)starts. */
  allowedHosts: string[];
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
      toolbox: toolsFor(version.tools, await runtimeCustomTools(tx, workspaceId)),
      allowedHosts: await allowListOfWorkspace(tx, workspaceId),
      allowPrivateAddresses: await privateEgressAllowed(tx, workspaceId),
      steps: await stepsOfRun(tx, workspaceId, runId),
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
