// The operator's side of plans and limits: a workspace's plan and its per-limit
// overrides (NULL = the plan's value), changed together in the workspace's own
// transaction with an audit event naming the old and new values, and the
// directory of every workspace's plan and overrides (no tenant content).
import type { Tx } from '../db/with-workspace';
import { withOperatorDirectory, withWorkspace } from '../db/with-workspace';
import { InvalidInput, NotFound } from '../domain-errors';
import { recordAudit } from '../observability/audit';
import { LIMIT_FIELDS, LIMIT_LABELS, PLAN_IDS, type LimitField, type LimitOverrides, type PlanId } from './limit-fields';


/** Columns of workspace_limit_overrides are int4 except the byte limit. */
const MAX_INT = 2_147_483_647;

export type PlanView = { id: PlanId; name: string } & Record<LimitField, number>;

export type WorkspaceLimitEntry = {
  id: string;
  name: string;
  slug: string;
  plan: PlanId;
  overrides: LimitOverrides;
  overridesUpdatedAt: Date | null;
};

function noOverrides(): LimitOverrides {
  return Object.fromEntries(LIMIT_FIELDS.map((f) => [f, null])) as LimitOverrides;
}

type OverrideRow = Partial<Record<LimitField, number | bigint | null>> & { updatedAt?: Date };

function overridesOf(row: OverrideRow | null): LimitOverrides {
  const overrides = noOverrides();
  if (!row) return overrides;
  for (const field of LIMIT_FIELDS) {
    const value = row[field];
    overrides[field] = value === null || value === undefined ? null : Number(value);
  }
  return overrides;
}

function checkOverrides(overrides: LimitOverrides): void {
  for (const field of LIMIT_FIELDS) {
    const value = overrides[field];
    if (value === null) continue;
    const max = field === 'knowledgeMaxBytes' ? Number.MAX_SAFE_INTEGER : MAX_INT;
    if (!Number.isSafeInteger(value) || value < 1 || value > max) {
      throw new InvalidInput(`${LIMIT_LABELS[field]} must be a whole number from 1 to ${max.toLocaleString('en-US')}, or empty for the plan's value.`, field);
    }
  }
}

/** The three plans and what each allows. */
export async function plans(tx: Tx): Promise<PlanView[]> {
  const rows = await tx.plan.findMany();
  const order = (id: string) => PLAN_IDS.indexOf(id as PlanId);
  return rows
    .sort((x, y) => order(x.id) - order(y.id))
    .map((row) => ({ id: row.id as PlanId, name: row.name, ...(Object.fromEntries(LIMIT_FIELDS.map((f) => [f, Number(row[f])])) as Record<LimitField, number>) }));
}

/** The workspace's plan and the overrides in force, inside its transaction. */
export async function limitSettingsOfWorkspace(tx: Tx, workspaceId: string): Promise<{ plan: PlanId; overrides: LimitOverrides }> {
  const workspace = await tx.workspace.findFirst({ where: { id: workspaceId }, select: { plan: true, limitOverride: true } });
  if (!workspace) throw new NotFound('Workspace not found');
  return { plan: workspace.plan as PlanId, overrides: overridesOf(workspace.limitOverride) };
}

/**
 * Sets the plan and every override at once (null = the plan's value), inside the
 * workspace's transaction, and audits the change there with before and after.
 */
export async function setWorkspaceLimits(
  tx: Tx,
  change: { workspaceId: string; operatorUserId: string; plan: PlanId; overrides: LimitOverrides },
): Promise<{ plan: PlanId; overrides: LimitOverrides }> {
  if (!PLAN_IDS.includes(change.plan)) throw new InvalidInput('Choose the free, pro or enterprise plan.', 'plan');
  checkOverrides(change.overrides);
  const before = await limitSettingsOfWorkspace(tx, change.workspaceId);
  await tx.workspace.update({ where: { id: change.workspaceId }, data: { plan: change.plan } });
  const data = {
    ...Object.fromEntries(LIMIT_FIELDS.filter((f) => f !== 'knowledgeMaxBytes').map((f) => [f, change.overrides[f]])),
    knowledgeMaxBytes: change.overrides.knowledgeMaxBytes === null ? null : BigInt(change.overrides.knowledgeMaxBytes),
    updatedBy: change.operatorUserId,
    updatedAt: new Date(),
  };
  await tx.workspaceLimitOverride.upsert({
    where: { workspaceId: change.workspaceId },
    create: { workspaceId: change.workspaceId, ...data },
    update: data,
  });
  const changed = LIMIT_FIELDS.filter((f) => before.overrides[f] !== change.overrides[f]);
  await recordAudit(tx, {
    workspaceId: change.workspaceId,
    actorUserId: change.operatorUserId,
    action: 'limits.changed',
    target: before.plan === change.plan ? `${change.plan} plan` : `${before.plan} → ${change.plan} plan`,
    metadata: {
      operator: true,
      plan: { before: before.plan, after: change.plan },
      overrides: Object.fromEntries(changed.map((f) => [f, { before: before.overrides[f], after: change.overrides[f] }])),
    },
  });
  return { plan: change.plan, overrides: change.overrides };
}

/** The operator's list: every workspace (at most 200, by name) with its plan and overrides, and the three plans. */
export function workspaceLimitDirectory(search?: string): Promise<{ plans: PlanView[]; workspaces: WorkspaceLimitEntry[] }> {
  const term = search?.trim();
  return withOperatorDirectory(async (tx) => {
    const rows = await tx.workspace.findMany({
      where: term ? { OR: [{ name: { contains: term, mode: 'insensitive' } }, { slug: { contains: term.toLowerCase() } }] } : {},
      orderBy: [{ name: 'asc' }, { slug: 'asc' }],
      take: 200,
      select: { id: true, name: true, slug: true, plan: true, limitOverride: true },
    });
    const workspaces = rows.map((row) => ({
      id: row.id,
      name: row.name,
      slug: row.slug,
      plan: row.plan as PlanId,
      overrides: overridesOf(row.limitOverride),
      overridesUpdatedAt: row.limitOverride?.updatedAt ?? null,
    }));
    return { plans: await plans(tx), workspaces };
  });
}

/**
 * The operator's change of one workspace's plan and overrides, in that workspace's
 * own transaction (its audit log is where the change is recorded).
 */
export function changeWorkspaceLimits(change: {
  workspaceId: string;
  operatorUserId: string;
  plan: PlanId;
  overrides: LimitOverrides;
}): Promise<{ plan: PlanId; overrides: LimitOverrides }> {
  return withWorkspace(change.workspaceId, (tx) => setWorkspaceLimits(tx, change));
}

/** The operator's view of one workspace's plan and overrides, beside the three plans. */
export function workspaceLimitSettings(workspaceId: string): Promise<{ plan: PlanId; overrides: LimitOverrides; plans: PlanView[] }> {
  return withWorkspace(workspaceId, async (tx) => ({ ...(await limitSettingsOfWorkspace(tx, workspaceId)), plans: await plans(tx) }));
}
