// The workspace policy as one run applies it. The run's guard is primed from the
// run's own inputs in a fixed order (input, system prompt, thread history), so a run
// resumed on another worker gives every value it read at the start the same
// placeholder again; placeholders in steps written before are reserved, so a value
// first met later (a tool result) never reuses one. Such a later value's original
// lived only in the dead worker's memory: after a resume its placeholder stays in
// the answer as it is. Steps are screened before they are written, so stored steps
// and their spans hold placeholders, never redacted or blocked values.
import { PolicyViolation } from '../domain-errors';
import { policyInForce } from '../governance/policy-cache';
import { guardOf, type PolicyGuard } from '../governance/policy-guard';
import type { StepToWrite } from './run-lease';
import type { RunContext } from './run-context';
import type { RunStepView } from './runs';
import { KNOWLEDGE_SEARCH_TOOL } from './tools/knowledge-search';

/** The guard for this run: the workspace's policy in force, primed and reserved as above. */
export async function runGuard(context: RunContext): Promise<PolicyGuard> {
  const guard = guardOf(context.workspaceId, await policyInForce(context.workspaceId));
  if (!guard.screensText) return guard;
  guard.scrub(context.input);
  guard.scrub(context.systemPrompt);
  for (const turn of context.history?.turns ?? []) guard.scrub(turn.content);
  if (context.history?.summary) guard.scrub(context.history.summary);
  for (const step of context.steps) guard.reservePlaceholdersIn(JSON.stringify([step.content, step.toolCalls, step.toolArgs, step.toolResult, step.error]));
  return guard;
}

/**
 * The step as it may be stored: a tool's arguments and result are screened as the
 * model will see them (a blocked type or a content rule refuses the step), and every
 * other text is scrubbed of the types the policy does not allow.
 */
export function screenedStep<T extends StepToWrite>(guard: PolicyGuard, step: T): T {
  if (!guard.screensText) return step;
  const place = step.toolName === KNOWLEDGE_SEARCH_TOOL ? 'retrieved context' : 'tool result';
  return {
    ...step,
    request: guard.scrubJson(step.request),
    response: guard.scrubJson(step.response),
    toolArgs: step.kind === 'tool' ? guard.screenJson(step.toolArgs, 'output', 'tool arguments') : guard.scrubJson(step.toolArgs),
    toolResult: step.kind === 'tool' ? guard.screenJson(step.toolResult, 'input', place) : guard.scrubJson(step.toolResult),
    error: step.error ? guard.scrub(step.error) : step.error,
  };
}

/** Marks the step the run writes when its policy refuses something, so the refusal shows in the trace. */
export const POLICY_REFUSAL = 'policy_refusal';

/** The step that records a refusal: no content, the reason (which names a type, rule, tool or model, never a value). */
export function refusalStep(
  guard: PolicyGuard,
  at: { stepIndex: number; kind: 'model' | 'tool'; toolName?: string | null; toolCallId?: string | null; startedAt: Date },
  refusal: PolicyViolation,
): StepToWrite & { costUsd: number; startedAt: Date; finishedAt: Date } {
  const finishedAt = new Date();
  return {
    stepIndex: at.stepIndex,
    kind: at.kind,
    status: 'error',
    request: { [POLICY_REFUSAL]: true, policyVersion: guard.version },
    ...(at.kind === 'tool' ? { toolName: at.toolName ?? null, toolCallId: at.toolCallId ?? null, toolResult: { error: refusal.message, [POLICY_REFUSAL]: true } } : {}),
    error: refusal.message,
    costUsd: 0,
    latencyMs: finishedAt.getTime() - at.startedAt.getTime(),
    startedAt: at.startedAt,
    finishedAt,
  };
}

/**
 * A run whose last written step is a policy refusal ends with it (it was refused
 * just before its worker died). Model steps are written with an error only for refusals.
 */
export function earlierRefusal(steps: readonly RunStepView[]): PolicyViolation | null {
  const last = steps.at(-1);
  if (!last || last.status !== 'error' || !last.error) return null;
  const marked = (last.toolResult as Record<string, unknown> | null)?.[POLICY_REFUSAL] === true;
  return last.kind === 'model' || marked ? new PolicyViolation(last.error) : null;
}
