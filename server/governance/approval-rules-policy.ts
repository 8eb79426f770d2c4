// Changes the approval rules of a workspace's policy: a new policy version (the
// versions are immutable) that keeps every other section of the one in force and
// replaces its approvals section; audited. Two saves racing for the same version
// number cannot both win: the loser gets a conflict and nothing is written.
import type { Tx } from '../db/with-workspace';
import { recordAudit } from '../observability/audit';
import type { Actor } from '../tenancy/members';
import type { ApprovalRules } from './approval-rules';
import { currentPolicy, policyDocument } from './policy-document';
import { insertPolicyVersion } from './workspace-policies';

export type ApprovalRulesView = ApprovalRules & { policyVersion: number };

export async function approvalRulesOf(tx: Tx, workspaceId: string): Promise<ApprovalRulesView> {
  const policy = await currentPolicy(tx, workspaceId);
  return { ...policy.document.approvals, policyVersion: policy.version };
}

export async function saveApprovalRules(tx: Tx, actor: Actor, rules: ApprovalRules): Promise<ApprovalRulesView> {
  const current = await currentPolicy(tx, actor.workspaceId);
  const tools = [...new Set(rules.tools.map((t) => t.trim()).filter(Boolean))];
  const document = policyDocument.parse({ ...current.document, approvals: { ...rules, tools } });
  const version = current.version + 1;
  await insertPolicyVersion(tx, actor, version, document, 'The policy was changed meanwhile; reload the page and save again.');
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    action: 'policy.approval_rules_changed',
    target: `v${version}`,
    metadata: { costAboveUsd: document.approvals.costAboveUsd, tools: document.approvals.tools, expiresAfterMinutes: document.approvals.expiresAfterMinutes },
  });
  return { ...document.approvals, policyVersion: version };
}
