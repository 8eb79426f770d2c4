// The story of one run, as the worker holding its lease tells it: read the run
// and the steps already written, then model call → tool calls → model call … up
// to the version's max steps, writing each step before the next one starts. No
// transaction is open during a model or tool call. Cancel, timeout and a lost
// lease abort the call in flight. A run resumed after a worker died continues
// from its last written step; a redone model call keeps its step index and
// attempt, so the gateway meters it once. A model step streams its text to
// run_stream_chunks as it arrives (step-stream.ts), for browsers following the run.
// A run for an end user with a thread reads the thread's history (summarised past
// its token budget), recalls memories when the version turns memory on, and
// appends its message and answer to the thread before it finishes.
// With the version's response cache on, the run's first model call may be answered
// from it instead (cached-model-step.ts).
// A call the workspace's approval rules hold (approval-gate.ts) pauses the run in
// awaiting_approval and lets the worker go; once approved, the run is claimed
// again and continues at that step, making the approved call once.
// A model call a hard budget has no room for ends the run as budget_exceeded; a
// run re-claimed after its worker died first releases what that worker reserved.
import { releaseRunBudgetReservations } from '../governance/budget-reservation';
// The workspace policy (run-policy.ts) screens every step before it is written and
// every model call in the gateway; a refusal is written as a failed step (so the
// trace shows it) and fails the run. Tools off the allow-list are not offered to
// the model, and a call to one gets an error result instead of running. With
// reversible redaction, the answer and its streamed text get the values back.
import { BudgetExhausted, DomainError, PolicyViolation } from '../domain-errors';
import type { PolicyGuard } from '../governance/policy-guard';
import { restoredStream } from '../governance/screened-stream';
import type { Gateway } from '../llm/gateway';
import type { EgressAdapters } from '../net/egress-guard';
import { logger } from '../observability/logger';
import type { RunForSpan } from '../observability/trace-spans';
import { decryptSecret } from '../vault/decrypt-secret';
import { withEndUser, withWorkspace } from '../db/with-workspace';
import { env } from '../env';
import { recallMemories, saveMemory, type MemoryScope } from '../memory/memory-items';
import { threadHistory } from '../memory/thread-history';
import { appendRunTurns } from '../memory/threads';
import type { ClaimedRun } from './claim-order';
import { finishRun, pauseForApproval, renewLease, writeStep } from './run-lease';
import { loadApprovalGate, modelCallApproval, toolCallApproval, type ApprovalGate } from './approval-gate';
import type { ApprovalAsk } from '../governance/approval-rules';
import { loadRunContext, messagesOf, needsAutomaticRecall, needsAutomaticRetrieval, nextAction, usesMemory, type RunContext } from './run-context';
import { MEMORY_RECALL_TOOL } from './tools/memory-tools';
import { KNOWLEDGE_SEARCH_TOOL } from './tools/knowledge-search';
import { automaticRetrievalStep, runKnowledgeSearch } from './knowledge-retrieval';
import { earlierRefusal, refusalStep, runGuard, screenedStep } from './run-policy';
import { responseCacheTurn } from './cached-model-step';
import { stepView } from './runs';
import { storable } from '../db/storable-text';
import { openStepStream, type ClaimLease } from './step-stream';
import type { JavaScriptSandbox } from './tools/javascript-sandbox';
import type { ToolContext } from './tools/tool-definition';

export type RunLoopDeps = {
  gateway: Gateway;
  sandbox: JavaScriptSandbox;
  egressAdapters: EgressAdapters;
  workerId: string;
  leaseMs: number;
  /** How long streamed text waits before it is written for readers (default 100 ms; 0: not written). */
  streamFlushMs?: number;
  /** Thread history budget and automatic recall size (default: MEMORY_HISTORY_TOKEN_BUDGET, MEMORY_RECALL_LIMIT). */
  memory?: MemorySettings;
};

export type MemorySettings = { historyTokenBudget: number; recallLimit: number };

function memorySettings(deps: RunLoopDeps): MemorySettings {
  if (deps.memory) return deps.memory;
  const { MEMORY_HISTORY_TOKEN_BUDGET, MEMORY_RECALL_LIMIT } = env();
  return { historyTokenBudget: MEMORY_HISTORY_TOKEN_BUDGET, recallLimit: MEMORY_RECALL_LIMIT };
}

const DEFAULT_STREAM_FLUSH_MS = 100;

/** Why a run stopped before its natural end. */
type StopReason = 'cancelled' | 'timed_out' | 'lease_lost';

/** The model's attempt number for a step: constant, so a redone call is metered once. */
const STEP_ATTEMPT = 1;

export async function executeRun(deps: RunLoopDeps, claimed: ClaimedRun): Promise<void> {
  const lease: ClaimLease = { workspaceId: claimed.workspaceId, runId: claimed.id, workerId: deps.workerId, leaseMs: deps.leaseMs, attempt: claimed.attemptCount };
  let context: RunContext;
  let gate: ApprovalGate;
  try {
    context = await loadRunContext(claimed.workspaceId, claimed.id, { firstClaim: claimed.attemptCount === 1 });
    gate = await loadApprovalGate(claimed.workspaceId, claimed.id, { firstClaim: claimed.attemptCount === 1 });
  } catch (error) {
    await finishRun(lease, { status: 'failed', error: userFacing(error, 'The run could not start.') });
    return;
  }
  if (claimed.attemptCount > 1) await releaseRunBudgetReservations(claimed.workspaceId, claimed.id);
  if (context.cancelRequested) return void (await finishRun(lease, { status: 'cancelled', error: 'Cancelled.' }, runFacts(context)));
  if (context.deadline.getTime() <= Date.now()) return void (await finishRun(lease, { status: 'timed_out', error: timeoutMessage(context) }, runFacts(context)));

  const stop = new AbortController();
  const stopWith = (reason: StopReason) => {
    if (!stop.signal.aborted) stop.abort(reason);
  };
  const deadlineTimer = setTimeout(() => stopWith('timed_out'), context.deadline.getTime() - Date.now());
  let guard: PolicyGuard | null = null;
  const renewTimer = setInterval(() => {
    renewLease(lease)
      .then((check) => {
        if (!check.held) stopWith('lease_lost');
        else if (check.cancelRequested) stopWith('cancelled');
      })
      .catch((error: unknown) => logger.warn({ runId: lease.runId, reason: String(error) }, 'lease renewal failed'));
  }, renewEveryMs(deps.leaseMs));

  try {
    if (context.thread && context.endUserId) {
      const scope = { workspaceId: context.workspaceId, agentId: context.agentId, endUserId: context.endUserId, threadId: context.thread.id };
      context.history = await threadHistory(deps.gateway, { ...scope, runId: context.runId, signal: stop.signal }, context.thread, memorySettings(deps).historyTokenBudget);
    }
    guard = await runGuard(context);
    await stepUntilDone(deps, lease, context, gate, guard, stop.signal);
  } catch (error) {
    const reason = stop.signal.aborted ? (stop.signal.reason as StopReason) : null;
    if (reason === 'lease_lost') logger.warn({ runId: lease.runId }, 'lease lost; another worker continues the run');
    else if (reason === 'cancelled') await finishRun(lease, { status: 'cancelled', error: 'Cancelled.' }, runFacts(context));
    else if (reason === 'timed_out') await finishRun(lease, { status: 'timed_out', error: timeoutMessage(context) }, runFacts(context));
    else if (error instanceof BudgetExhausted) await finishRun(lease, { status: 'budget_exceeded', error: error.message }, runFacts(context));
    else await finishRun(lease, { status: 'failed', error: scrubbed(guard, userFacing(error, 'The run failed.')) }, runFacts(context));
  } finally {
    clearTimeout(deadlineTimer);
    clearInterval(renewTimer);
  }
}

async function stepUntilDone(
  deps: RunLoopDeps,
  lease: ClaimLease,
  context: RunContext,
  gate: ApprovalGate,
  guard: PolicyGuard,
  signal: AbortSignal,
): Promise<void> {
  for (;;) {
    signal.throwIfAborted();
    const refused = earlierRefusal(context.steps);
    if (refused) throw refused;
    const action = nextAction(context.steps, context.version.maxSteps);
    if (action.kind === 'done') {
      // The end user gets the values back (reversible redaction); the written steps keep the placeholders.
      const output = guard.restore(action.output);
      await appendToThread(context, output);
      return void (await finishRun(lease, { status: 'succeeded', output }, runFacts(context)));
    }
    if (action.kind === 'out_of_steps') {
      return void (await finishRun(lease, { status: 'failed', error: stepsMessage(context) }, runFacts(context)));
    }
    const stepIndex = context.steps.length;
    const startedAt = new Date();
    const retrieval = needsAutomaticRetrieval(context);
    const recall = !retrieval && needsAutomaticRecall(context, memorySettings(deps).recallLimit);
    let step: StepRecord;
    try {
      // The approval request holds the arguments as the policy screens them, like the step would.
      const toolAsk = action.kind === 'tool' ? toolCallApproval(gate, stepIndex, { ...action.call, arguments: guard.screen(action.call.arguments, 'output', 'tool arguments') }) : null;
      if (await waitsForApproval(lease, context, gate, stepIndex, toolAsk)) return;
      const taken = retrieval
        ? await automaticRetrievalStep(deps.gateway, context, stepIndex, signal)
        : recall
          ? await automaticRecallStep(deps, context, stepIndex, signal)
          : action.kind === 'model'
            ? await cachedOrModelStep(deps, lease, context, gate, guard, stepIndex, signal)
            : await toolStep(deps, context, guard, stepIndex, action.call, signal);
      if (!taken) return;
      step = screenedStep(guard, taken);
    } catch (error) {
      if (!(error instanceof PolicyViolation)) throw error;
      const toolName = retrieval ? KNOWLEDGE_SEARCH_TOOL : recall ? MEMORY_RECALL_TOOL : action.kind === 'tool' ? action.call.name : null;
      const toolCallId = action.kind === 'tool' && !retrieval && !recall ? action.call.id : null;
      const refusal = refusalStep(guard, { stepIndex, kind: toolName ? 'tool' : 'model', toolName, toolCallId, startedAt }, error);
      await writeStep(lease, refusal, { model: context.version.model, temperature: context.version.temperature });
      throw error;
    }
    signal.throwIfAborted();
    if (!(await writeStep(lease, step, { model: context.version.model, temperature: context.version.temperature }))) throw new LeaseLost();
    context.steps.push(stepView({ id: '', workspaceId: context.workspaceId, runId: context.runId, ...step } as Parameters<typeof stepView>[0]));
  }
}

class LeaseLost extends Error {
  constructor() {
    super('The run lease was lost');
  }
}

type StepRecord = Parameters<typeof writeStep>[1] & { costUsd: number; startedAt: Date; finishedAt: Date };

/**
 * Pauses the run for the approval `ask` names (null: nothing to ask). True when
 * the run stopped here: paused, or finished as cancelled because a cancel came first.
 */
async function waitsForApproval(lease: ClaimLease, context: RunContext, gate: ApprovalGate, stepIndex: number, ask: ApprovalAsk | null): Promise<boolean> {
  if (!ask) return false;
  const outcome = await pauseForApproval(lease, stepIndex, ask, gate.rules.expiresAfterMinutes);
  if (outcome === 'lease_lost') throw new LeaseLost();
  if (outcome === 'cancel_requested') await finishRun(lease, { status: 'cancelled', error: 'Cancelled.' }, runFacts(context));
  return true;
}

/**
 * The model step, answered from the response cache when the version has it on
 * and it holds the answer; null when the call waits for an approval instead.
 */
async function cachedOrModelStep(
  deps: RunLoopDeps,
  lease: ClaimLease,
  context: RunContext,
  gate: ApprovalGate,
  guard: PolicyGuard,
  stepIndex: number,
  signal: AbortSignal,
): Promise<StepRecord | null> {
  const cache = responseCacheTurn(context);
  const hit = await cache?.lookup(deps.gateway, signal, stepIndex);
  if (hit) return hit;
  if (await waitsForApproval(lease, context, gate, stepIndex, modelCallApproval(gate, context, stepIndex))) return null;
  const step = await modelStep(deps, lease, context, guard, stepIndex, signal);
  await cache?.store(step);
  return step;
}

async function modelStep(deps: RunLoopDeps, lease: ClaimLease, context: RunContext, guard: PolicyGuard, stepIndex: number, signal: AbortSignal): Promise<StepRecord> {
  const startedAt = new Date();
  const messages = messagesOf(context);
  const tools = context.toolbox.definitions.filter((d) => guard.allowsTool(d.function.name));
  // Each claim of the run streams afresh: a step redone by the next worker never continues a dead one's text.
  const stream = openStepStream(lease, stepIndex, { flushEveryMs: deps.streamFlushMs ?? DEFAULT_STREAM_FLUSH_MS });
  const restored = restoredStream(guard, (text) => stream.push(text));
  const answer = await deps.gateway.chatCompletion({
    workspaceId: context.workspaceId,
    runId: context.runId,
    stepIndex,
    attempt: STEP_ATTEMPT,
    agentId: context.agentId,
    taskType: 'chat',
    override: { ...(context.version.providerId ? { providerId: context.version.providerId } : {}), model: context.version.model },
    messages,
    tools,
    policy: guard,
    temperature: context.version.temperature,
    signal,
    timeoutMs: Math.max(1, context.deadline.getTime() - Date.now()),
    // Over the workspace's model tokens per minute the run waits for the next minute, within its deadline.
    waitForTokensMs: Math.max(0, context.deadline.getTime() - Date.now()),
    onDelta: (delta) => {
      if (delta.content) restored.push(delta.content);
    },
  }).finally(() => {
    restored.close();
    stream.close();
  });
  const result = storable(answer);
  return {
    stepIndex,
    kind: 'model',
    status: 'ok',
    request: JSON.parse(JSON.stringify({ messageCount: messages.length, lastMessage: messages.at(-1) ?? null, tools: tools.map((d) => d.function.name) })),
    response: JSON.parse(JSON.stringify({ content: result.message.content, toolCalls: result.toolCalls, finishReason: result.finishReason })),
    provider: result.provider,
    model: result.model,
    inputTokens: result.usage.inputTokens,
    outputTokens: result.usage.outputTokens,
    costUsd: result.costUsd,
    latencyMs: Math.round(result.latencyMs),
    startedAt,
    finishedAt: new Date(),
  };
}

async function toolStep(
  deps: RunLoopDeps,
  context: RunContext,
  guard: PolicyGuard,
  stepIndex: number,
  call: { id: string; name: string; arguments: string },
  signal: AbortSignal,
): Promise<StepRecord> {
  const startedAt = new Date();
  // The tool gets its arguments as the model may send them: redacted values stay placeholders.
  const argumentText = guard.screen(call.arguments, 'output', 'tool arguments');
  let args: unknown = argumentText;
  try {
    args = JSON.parse(argumentText);
  } catch {
    // Left as the model wrote it; the tool refuses it with a message the model can read.
  }
  let result: unknown;
  let error: string | null = null;
  try {
    if (!guard.allowsTool(call.name)) {
      // Refused before it runs; the model reads why and can answer without it.
      throw new PolicyViolation(`The workspace policy does not allow the tool "${call.name}".`);
    }
    result = await context.toolbox.call(call.name, argumentText, toolContext(deps, context, call.name, signal, stepIndex));
  } catch (failure) {
    signal.throwIfAborted();
    error = userFacing(failure, `The tool ${call.name} failed.`);
    result = { error };
  }
  return {
    stepIndex,
    kind: 'tool',
    status: error ? 'error' : 'ok',
    toolName: call.name,
    toolCallId: call.id,
    toolArgs: storable(args ?? null) as object,
    toolResult: storable(result ?? null) as object,
    error,
    costUsd: 0,
    latencyMs: Date.now() - startedAt.getTime(),
    startedAt,
    finishedAt: new Date(),
  };
}

/** The run's message and answer join its thread, under the run's end user. */
async function appendToThread(context: RunContext, output: string): Promise<void> {
  if (!context.thread || !context.endUserId) return;
  const scope = { workspaceId: context.workspaceId, agentId: context.agentId, endUserId: context.endUserId, threadId: context.thread.id };
  await withEndUser(context.workspaceId, context.endUserId, (tx) => appendRunTurns(tx, scope, context.runId, { user: context.input, assistant: output }));
}

function memoryScope(context: RunContext, stepIndex: number, signal: AbortSignal): MemoryScope | null {
  if (!usesMemory(context.version, context.endUserId)) return null;
  return { workspaceId: context.workspaceId, agentId: context.agentId, endUserId: context.endUserId!, runId: context.runId, stepIndex, signal };
}

/** Recalls the memories closest to the run's input; a failed recall is recorded and the run goes on without them. */
async function automaticRecallStep(deps: RunLoopDeps, context: RunContext, stepIndex: number, signal: AbortSignal): Promise<StepRecord> {
  const startedAt = new Date();
  let result: object;
  let error: string | null = null;
  try {
    const memories = await recallMemories(deps.gateway, memoryScope(context, stepIndex, signal)!, context.input, memorySettings(deps).recallLimit);
    result = { memories: memories.map((m) => ({ id: m.id, text: m.text, similarity: Math.round(m.similarity * 1000) / 1000 })) };
  } catch (failure) {
    signal.throwIfAborted();
    error = userFacing(failure, 'Recalling memories failed.');
    result = { error };
  }
  return {
    stepIndex,
    kind: 'tool',
    status: error ? 'error' : 'ok',
    toolName: MEMORY_RECALL_TOOL,
    toolCallId: null,
    toolArgs: { query: context.input, automatic: true },
    toolResult: result,
    error,
    costUsd: 0,
    latencyMs: Date.now() - startedAt.getTime(),
    startedAt,
    finishedAt: new Date(),
  };
}

function toolContext(deps: RunLoopDeps, context: RunContext, toolName: string, signal: AbortSignal, stepIndex: number): ToolContext {
  const search = runKnowledgeSearch(deps.gateway, context, signal, stepIndex);
  const memory = memoryScope(context, stepIndex, signal);
  return {
    ...(search ? { knowledge: { search } } : {}),
    ...(memory
      ? { memory: { save: (text: string) => saveMemory(deps.gateway, memory, text), recall: (query: string, limit: number) => recallMemories(deps.gateway, memory, query, limit) } }
      : {}),
    workspaceId: context.workspaceId,
    egress: { policy: { allowedHosts: context.allowedHosts, allowPrivateAddresses: context.allowPrivateAddresses }, adapters: deps.egressAdapters },
    sandbox: deps.sandbox,
    signal,
    revealSecret: (name) =>
      withWorkspace(context.workspaceId, (tx) =>
        decryptSecret(tx, { workspaceId: context.workspaceId, name, purpose: `tool ${toolName}`, runId: context.runId }),
      ),
  };
}

/** What the run's root span says of the run, from what the worker read at its start. */
function runFacts(context: RunContext): RunForSpan {
  return { agentId: context.agentId, agentName: context.agentName, agentVersion: context.version.version, requestModel: context.version.model };
}

/** Renewal doubles as the cancel check: often enough for a cancel to land within a second. */
function renewEveryMs(leaseMs: number): number {
  return Math.max(50, Math.min(1_000, Math.floor(leaseMs / 3)));
}

function timeoutMessage(context: RunContext): string {
  if (context.planCapped.maxRunSeconds) return `The run took longer than the plan's max run duration of ${context.version.maxRunSeconds} s.`;
  return `The run took longer than its ${context.version.maxRunSeconds} s limit.`;
}

function stepsMessage(context: RunContext): string {
  if (context.planCapped.maxSteps) return `The agent did not finish within the plan's max steps (${context.version.maxSteps} model steps).`;
  return `The agent did not finish within ${context.version.maxSteps} model steps.`;
}

/** A failure's message as stored: values the policy does not allow are replaced by placeholders. */
function scrubbed(guard: PolicyGuard | null, message: string): string {
  return guard ? guard.scrub(message) : message;
}

/** Domain errors carry a message meant for users; anything else is logged and summarised. */
function userFacing(error: unknown, fallback: string): string {
  if (error instanceof DomainError) return error.message;
  logger.error({ reason: error instanceof Error ? error.message : String(error) }, fallback);
  return fallback;
}
