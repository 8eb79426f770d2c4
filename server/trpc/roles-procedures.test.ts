// Role enforcement at the procedure edge: every workspace procedure declares the
// scope it needs (or is listed below as open to every member), and every role
// lacking that scope gets FORBIDDEN with nothing changed. Procedures and their
// scopes are read from the router, so new ones are covered automatically.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWorkspace } from '../db/with-workspace';
import { signUp, type AccountSummary } from '../tenancy/accounts';
import { acceptInvitation, inviteMember } from '../tenancy/invitations';
import { roleHasScope, WORKSPACE_ROLES, type WorkspaceRole } from '../tenancy/roles';
import { call, listing, sampleInput, show, workspaceProcedures } from '../testing/procedure-calls';
import { snapshotWorkspaceRows, tenantTables, type TenantTable } from '../testing/tenant-tables';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';

/** Workspace procedures any member may call, whatever their role, and why. */
const OPEN_TO_EVERY_MEMBER: Record<string, string> = {
  'workspaces.leave': 'anyone may leave a workspace (the last-owner rule lives in the domain)',
};

let db: TestDatabase;
let a: SeededTenant;
let tables: TenantTable[];
const userWithRole = {} as Record<WorkspaceRole, AccountSummary>;

async function joinA(role: WorkspaceRole): Promise<AccountSummary> {
  const account = await signUp({ email: `${role}-extra@alpha.test`, name: `alpha ${role}`, password: 'correct horse battery staple' });
  const actor = { userId: a.owner.id, workspaceId: a.workspace.id, role: 'owner' as const };
  const { url } = await withWorkspace(a.workspace.id, (tx) => inviteMember(tx, actor, { email: account.email, role }));
  await acceptInvitation(account, url.split('/invite/')[1]!);
  return account;
}

/** A's own entity ids, so a refusal can only come from the role check. */
const idsOfA = () => ({ workspaceId: a.workspace.id, memberId: a.memberMembershipId, invitationId: a.pendingInvitation.id, userId: a.member.id, secretId: a.secret.id,
  agentId: a.agent.id, snippetId: a.snippet.id, toolId: a.customTool.id, apiKeySecretId: a.secret.id, providerId: a.provider.id, runId: a.run.id, hostId: a.allowedHost.id,
  knowledgeBaseId: a.knowledgeBase.id, documentId: a.knowledgeDocument.id, threadId: a.thread.id, itemId: a.memoryItem.id, exportId: a.exportRequest.id,
  approvalId: a.approval.id, budgetId: a.budget.id });

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a } = await seedTwoWorkspaces());
  userWithRole.owner = a.owner;
  userWithRole.member = a.member;
  userWithRole.admin = await joinA('admin');
  userWithRole.viewer = await joinA('viewer');
  tables = await tenantTables(db.owner);
});
afterAll(async () => db.stop());

describe('roles at the procedure edge', () => {
  it('has every workspace procedure declare the scope it needs', () => {
    const undeclared = workspaceProcedures()
      .filter((p) => !p.meta.scope && !(p.path in OPEN_TO_EVERY_MEMBER))
      .map((p) => `${p.path}: build it with scopedProcedure(scope), or list it in OPEN_TO_EVERY_MEMBER with the reason`);
    expect(undeclared, listing('Workspace procedures without a scope', undeclared)).toEqual([]);
    const stale = Object.keys(OPEN_TO_EVERY_MEMBER).filter((path) => !workspaceProcedures().some((p) => p.path === path && !p.meta.scope));
    expect(stale, 'OPEN_TO_EVERY_MEMBER lists procedures that no longer exist or now have a scope').toEqual([]);
  });

  it('answers FORBIDDEN to every role that lacks the scope, and changes nothing', async () => {
    const before = await snapshotWorkspaceRows(db.owner, tables, a.workspace.id);
    const problems: string[] = [];
    let refusals = 0;
    for (const p of workspaceProcedures()) {
      const scope = p.meta.scope;
      if (!scope) continue;
      for (const role of WORKSPACE_ROLES.filter((r) => !roleHasScope(r, scope))) {
        const outcome = await call(userWithRole[role], p.path, sampleInput(p, idsOfA()));
        refusals += 1;
        if (outcome.ok || outcome.code !== 'FORBIDDEN') problems.push(`${p.path} (${scope}) as ${role}: ${show(outcome)}`);
      }
    }
    expect(problems, listing('Procedures that let a role without the scope through', problems)).toEqual([]);
    expect(refusals).toBeGreaterThan(0);
    expect(await snapshotWorkspaceRows(db.owner, tables, a.workspace.id)).toEqual(before);
  });

  it('answers the read procedures for every role that holds their scope', async () => {
    const problems: string[] = [];
    const queries = workspaceProcedures().filter((p) => p.type === 'query');
    expect(queries.length).toBeGreaterThan(0);
    for (const p of queries) {
      for (const role of WORKSPACE_ROLES.filter((r) => !p.meta.scope || roleHasScope(r, p.meta.scope))) {
        const outcome = await call(userWithRole[role], p.path, sampleInput(p, idsOfA()));
        if (!outcome.ok) problems.push(`${p.path} as ${role}: ${show(outcome)}`);
      }
    }
    expect(problems, listing('Read procedures refused to a role that holds their scope', problems)).toEqual([]);
  });
});
