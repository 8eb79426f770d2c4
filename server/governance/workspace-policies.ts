// Saving and reading a workspace's policy: each save inserts the next immutable
// version (admins only, checked by the procedure's scope), after the content
// patterns pass the safety check and the provider allow-list names real providers;
// every save is audited with what changed. Concurrent saves cannot share a number.
import { isUniqueViolation } from '../db/prisma-errors';
import type { Tx } from '../db/with-workspace';
import { Conflict, InvalidInput, NotFound } from '../domain-errors';
import { recordAudit } from '../observability/audit';
import type { Actor } from '../tenancy/members';
import { unsafePatternReason, type ContentDirection } from './content-rules';
import { detectPii, PII_LABELS } from './pii-detection';
import { forgetPolicy } from './policy-cache';
import { policyChanges, type PolicyChange } from './policy-diff';
import { currentPolicy, DEFAULT_POLICY, policyDocument, type PolicyDocument, type PiiType, type WorkspacePolicyVersion } from './policy-document';
import { guardOf, LOCAL_PROVIDER_ID } from './policy-guard';

export type PolicyVersionSummary = {
  version: number;
  createdAt: Date;
  createdBy: string | null;
  changes: PolicyChange[];
};

/** The policy in force, with the version number the editor saves on top of. */
export function policyOfWorkspace(tx: Tx, workspaceId: string): Promise<WorkspacePolicyVersion> {
  return currentPolicy(tx, workspaceId);
}

/** One stored version (for viewing an old one). */
export async function policyVersion(tx: Tx, workspaceId: string, version: number): Promise<WorkspacePolicyVersion> {
  const row = await tx.workspacePolicy.findFirst({ where: { workspaceId, version } });
  if (!row) throw new NotFound(`Policy version ${version} not found`);
  return { version: row.version, document: policyDocument.parse(row.document), createdAt: row.createdAt };
}

/** Every version, newest first, each with what it changed from the one before. */
export async function policyHistory(tx: Tx, workspaceId: string, limit = 50): Promise<PolicyVersionSummary[]> {
  const rows = await tx.workspacePolicy.findMany({ where: { workspaceId }, orderBy: { version: 'desc' }, take: limit + 1 });
  // Authors are named through their membership (people who left show as unknown).
  const members = await tx.membership.findMany({
    where: { workspaceId, userId: { in: rows.map((r) => r.createdBy).filter((id): id is string => id !== null) } },
    select: { userId: true, user: { select: { name: true, email: true } } },
  });
  const authors = members.map((m) => ({ id: m.userId, name: m.user.name, email: m.user.email }));
  const documents = rows.map((r) => policyDocument.parse(r.document));
  return rows.slice(0, limit).map((row, i) => {
    const author = authors.find((a) => a.id === row.createdBy);
    return {
      version: row.version,
      createdAt: row.createdAt,
      createdBy: author ? author.name || author.email : null,
      changes: policyChanges(documents[i + 1] ?? DEFAULT_POLICY, documents[i]!),
    };
  });
}

/**
 * Saves the document as the next version. `baseVersion` is the version the editor
 * started from: if someone saved in between, the save is refused rather than
 * silently overwriting their change.
 */
export async function savePolicy(tx: Tx, actor: Actor, input: { document: PolicyDocument; baseVersion: number }): Promise<WorkspacePolicyVersion> {
  const document = policyDocument.parse(input.document);
  checkContentRules(document);
  await checkProviders(tx, actor.workspaceId, document.allowLists.providers);
  const current = await currentPolicy(tx, actor.workspaceId);
  if (current.version !== input.baseVersion) {
    throw new Conflict(`Someone saved version ${current.version} of the policy while you were editing; reload to see it.`);
  }
  const changes = policyChanges(current.document, document);
  if (changes.length === 0) throw new InvalidInput('Nothing changed: the policy is the same as the version in force.');
  const version = current.version + 1;
  const row = await insertPolicyVersion(tx, actor, version, document, 'Someone saved the policy at the same moment; reload and try again.');
  await recordAudit(tx, {
    workspaceId: actor.workspaceId,
    actorUserId: actor.userId,
    action: 'policy.updated',
    target: `version ${version}`,
    metadata: { version, changes: changes.map((c) => ({ ...c })) },
  });
  return { version, document, createdAt: row.createdAt };
}

/**
 * Inserts the next immutable version; two saves racing for the number cannot both
 * win (the loser gets `conflict`, nothing written). This process enforces the new
 * version from its next call on.
 */
export async function insertPolicyVersion(tx: Tx, actor: Actor, version: number, document: PolicyDocument, conflict: string): Promise<{ createdAt: Date }> {
  try {
    const row = await tx.workspacePolicy.create({ data: { workspaceId: actor.workspaceId, version, document, createdBy: actor.userId } });
    forgetPolicy(actor.workspaceId);
    return row;
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(conflict);
    throw error;
  }
}

function checkContentRules(document: PolicyDocument): void {
  document.content.rules.forEach((rule, i) => {
    if (rule.kind !== 'pattern') return;
    const reason = unsafePatternReason(rule.value);
    if (reason) throw new InvalidInput(`Content rule ${i + 1}: ${reason}`, `content.rules.${i}.value`);
  });
}

async function checkProviders(tx: Tx, workspaceId: string, providers: string[] | null): Promise<void> {
  if (!providers) return;
  const ids = providers.filter((p) => p !== LOCAL_PROVIDER_ID);
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const known = ids.every((id) => uuid.test(id))
    ? await tx.llmProvider.findMany({ where: { workspaceId, id: { in: ids } }, select: { id: true } })
    : [];
  const unknown = ids.find((id) => !known.some((k) => k.id === id));
  if (unknown) throw new InvalidInput('The provider allow-list names a provider this workspace does not have.', 'allowLists.providers');
}

export type TextPreview = {
  /** The text as the model would see it (redactions applied); the input itself when refused. */
  text: string;
  /** Why the text would be refused (naming the type or rule), or null. */
  refusal: string | null;
  detections: { type: PiiType; label: string; action: 'allow' | 'redact' | 'block'; placeholder: string | null; start: number; end: number }[];
};

/** What the policy would do to this text, by the same code that enforces it. */
export function previewPolicyText(workspaceId: string, document: PolicyDocument, text: string, direction: ContentDirection): TextPreview {
  const guard = guardOf(workspaceId, { version: 0, document: policyDocument.parse(document) });
  const outcome = guard.evaluate(text, direction, direction === 'input' ? 'model input' : 'model output');
  // Types the policy allows are shown too, so the admin sees what passes untouched.
  const allowed = detectPii(text).filter((d) => guard.document.pii.actions[d.type] === 'allow');
  const detections = [
    ...outcome.detections,
    ...allowed.filter((d) => !outcome.detections.some((o) => d.start < o.end && o.start < d.end)).map((d) => ({ ...d, action: 'allow' as const, placeholder: null })),
  ].sort((x, y) => x.start - y.start);
  return {
    text: outcome.text,
    refusal: outcome.refusal,
    detections: detections.map((d) => ({ type: d.type, label: PII_LABELS[d.type], action: d.action, placeholder: d.placeholder, start: d.start, end: d.end })),
  };
}
