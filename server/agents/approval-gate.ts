// What the run loop asks before each model or tool call: do the workspace's
// approval rules (its policy in force when the run was claimed) make this step
// wait for an admin? A step whose approval was already given is never asked
// again, so a run resumed after an approval makes the approved call once.
import { withWorkspace } from '../db/with-workspace';
import { env } from '../env';
import { asksForNothing, modelCallAsk, toolCallAsk, type ApprovalAsk, type ApprovalRules } from '../governance/approval-rules';
import { approvedStepsOfRun } from '../governance/approvals';
import { currentPolicy } from '../governance/policy-document';
import { estimateCallCost } from '../llm/call-cost-estimate';
import { messagesOf, type RunContext } from './run-context';

export type ApprovalGate = { rules: ApprovalRules; approvedSteps: ReadonlySet<number> };

/** The rules in force and the run's approved steps (none on a first claim: nothing was asked yet). */
export async function loadApprovalGate(workspaceId: string, runId: string, options: { firstClaim: boolean }): Promise<ApprovalGate> {
  return withWorkspace(workspaceId, async (tx) => {
    const rules = (await currentPolicy(tx, workspaceId)).document.approvals;
    const approved = options.firstClaim || asksForNothing(rules) ? [] : await approvedStepsOfRun(tx, workspaceId, runId);
    return { rules, approvedSteps: new Set(approved) };
  });
}

/** The output cap the gateway gives every call that sets none (agent model calls set none); the cost estimate is a bound only with it. */
export function modelOutputCap(): number {
  return env().MODEL_MAX_OUTPUT_TOKENS;
}

/** What the next model call of the run must wait for, if anything. */
export function modelCallApproval(gate: ApprovalGate, context: RunContext, stepIndex: number): ApprovalAsk | null {
  if (gate.rules.costAboveUsd === null || gate.approvedSteps.has(stepIndex)) return null;
  const estimate = estimateCallCost({
    model: context.version.model,
    messages: messagesOf(context),
    tools: context.toolbox.definitions,
    maxOutputTokens: modelOutputCap(),
  });
  return modelCallAsk(gate.rules, context.version.model, estimate.worstCaseUsd);
}

/** What the tool call must wait for, if anything. */
export function toolCallApproval(gate: ApprovalGate, stepIndex: number, call: { name: string; arguments: string }): ApprovalAsk | null {
  if (gate.approvedSteps.has(stepIndex)) return null;
  let args: unknown = call.arguments;
  try {
    args = JSON.parse(call.arguments);
  } catch {
    // Shown as the model wrote it.
  }
  return toolCallAsk(gate.rules, call.name, args);
}
