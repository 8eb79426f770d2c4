// Which run steps wait for an admin under a policy's approval rules: a call to a
// tool in the rules' list, or a model call whose worst-case cost estimate
// (call-cost-estimate.ts) is above the rules' threshold. Pure: the run loop asks
// before each call, and records what this answers as the approval's request.
import type { PolicyDocument } from './policy-document';

export type ApprovalRules = PolicyDocument['approvals'];

export type ApprovalAsk =
  | { kind: 'tool'; toolName: string; toolArgs: unknown; rule: string }
  | { kind: 'model'; model: string; estimatedCostUsd: number; rule: string };

/** The rules ask for nothing. */
export function asksForNothing(rules: ApprovalRules): boolean {
  return rules.costAboveUsd === null && rules.tools.length === 0;
}

export function toolCallAsk(rules: ApprovalRules, toolName: string, toolArgs: unknown): ApprovalAsk | null {
  if (!rules.tools.includes(toolName)) return null;
  return { kind: 'tool', toolName, toolArgs, rule: `Calls to the tool ${toolName} need an approval.` };
}

export function modelCallAsk(rules: ApprovalRules, model: string, estimatedCostUsd: number): ApprovalAsk | null {
  if (rules.costAboveUsd === null || !(estimatedCostUsd > rules.costAboveUsd)) return null;
  return {
    kind: 'model',
    model,
    estimatedCostUsd,
    rule: `A model call estimated at up to ${usd(estimatedCostUsd)} is above the approval threshold of ${usd(rules.costAboveUsd)}.`,
  };
}

/** Dollars with cents, and below a dollar as many decimals as it takes (up to six): $0.0016, $0.05, $12.50. */
export function usd(amount: number): string {
  if (amount >= 1) return `$${amount.toFixed(2)}`;
  const [whole, decimals = ''] = amount.toFixed(6).split('.');
  return `$${whole}.${decimals.replace(/0+$/, '').padEnd(2, '0')}`;
}
