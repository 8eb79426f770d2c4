// Governance that is visible on first start. Acme (pro) redacts emails from
// everything its models see and has budgets that its demo runs spend against:
// a hard monthly one for the workspace and a small soft one for its agent, which
// the demo runs take past its alert thresholds. Globex (free) asks for approval
// before any run_javascript call — set after the demo runs, which would
// otherwise wait for it.
import { withWorkspace } from '../db/with-workspace';
import { createBudget } from '../governance/budgets';
import { saveApprovalRules } from '../governance/approval-rules-policy';
import { DEFAULT_POLICY } from '../governance/policy-document';
import { savePolicy } from '../governance/workspace-policies';

type Owner = { userId: string; workspaceId: string; role: 'owner' };

/** Before the demo runs: Acme's policy and budgets (Globex keeps the defaults until its runs are done). */
export async function seedDemoGovernance(actor: Owner, company: string, agentId: string): Promise<void> {
  if (company !== 'Acme') return;
  await withWorkspace(actor.workspaceId, async (tx) => {
    const document = { ...DEFAULT_POLICY, pii: { ...DEFAULT_POLICY.pii, actions: { ...DEFAULT_POLICY.pii.actions, email: 'redact' as const } } };
    await savePolicy(tx, actor, { document, baseVersion: 0 });
    await createBudget(tx, actor, { name: 'Acme monthly model spend', agentId: null, monthlyLimitUsd: 25, enforcement: 'hard' });
    await createBudget(tx, actor, { name: 'Support assistant pilot', agentId, monthlyLimitUsd: 0.0004, enforcement: 'soft' });
  });
}

/** After the demo runs: Globex's approval rule on its agent's tool. */
export async function seedDemoApprovalRules(actor: Owner, company: string): Promise<void> {
  if (company !== 'Globex') return;
  await withWorkspace(actor.workspaceId, (tx) => saveApprovalRules(tx, actor, { costAboveUsd: null, tools: ['run_javascript'], expiresAfterMinutes: 60 }));
}
