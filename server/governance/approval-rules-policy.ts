// Changes the approval rules of a workspace's policy: a new policy version (the
// versions are immutable) that keeps every other section of the one in force and
// replaces its approvals section; audited. Two saves racing for the same version
// number cannot both win: the loser gets a conflict and nothing is written.
import { Prisma } from '../db/generated/client';
import type { Tx } from '../db/with-workspace';
import { Conflict } from '../domain-errors';
import { recordAudit } from '../observability/audit';
import type { Actor } from '../tenancy/members';
import type { ApprovalRules } from './approval-rules';
import { forgetPolicy } from './policy-cache';
import { currentPolicy, policyDocument } from './policy-document';

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
  try {
    await tx.workspacePolicy.create({ data: { workspaceId: actor.workspaceId, version, document, createdBy: actor.userId } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new Conflict('The policy was changed meanwhile; reload the page and save again.');
    }
    throw error;
  }
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    action: 'policy.approval_rules_changed',
    target: `v${version}`,
    metadata: { costAboveUsd: document.approvals.costAboveUsd, tools: document.approvals.tools, expiresAfterMinutes: document.approvals.expiresAfterMinutes },
  });
  // Like any policy save: this process enforces the new version from its next call on.
  forgetPolicy(actor.workspaceId);
  return { ...document.approvals, policyVersion: version };
}
