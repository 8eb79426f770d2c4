// Isolation suite (c): no tRPC procedure lets a member of workspace A reach
// workspace B. Procedures are enumerated from the router, inputs generated from
// their zod schemas with B's ids, and every call must answer NOT_FOUND (exactly
// as for an id that does not exist) and leave B's rows untouched. A new
// procedure is covered automatically — or fails here until its id fixtures or
// its classification are added.
import { randomUUID } from 'node:crypto';
import type { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, listing, procedures, sampleInput, show, workspaceProcedures } from '../testing/procedure-calls';
import { SAMPLE_VALUES } from '../testing/procedure-inputs';
import { snapshotWorkspaceRows, tenantTables, unseededTables, type Snapshot, type TenantTable } from '../testing/tenant-tables';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import type { SessionUser } from './context';

/** B's entity for each `…Id` input field. A new id field fails the suite until it is added here. */
const entityIdsOf = (t: SeededTenant): Record<string, string> => ({
  memberId: t.memberMembershipId,
  invitationId: t.pendingInvitation.id,
  userId: t.owner.id,
  secretId: t.secret.id,
  agentId: t.agent.id,
  runId: t.run.id,
  snippetId: t.snippet.id,
  toolId: t.customTool.id,
  apiKeySecretId: t.secret.id,
  providerId: t.provider.id,
  hostId: t.allowedHost.id,
  knowledgeBaseId: t.knowledgeBase.id,
  documentId: t.knowledgeDocument.id,
  threadId: t.thread.id,
  itemId: t.memoryItem.id,
  exportId: t.exportRequest.id,
  approvalId: t.approval.id,
  budgetId: t.budget.id,
});

/**
 * Every procedure that is not workspace-scoped, with either a probe using
 * another workspace's identifier or the reason it takes none.
 */
type Classification = { reason: string } | { probe: (b: SeededTenant) => unknown; expect: TRPCError['code'] };
const NON_WORKSPACE_PROCEDURES: Record<string, Classification> = {
  'account.signUp': { reason: 'creates an account from email and password; no tenant identifier' },
  'account.completeSignUp': { reason: 'the one-time sign-up link is the capability; it creates a new account, no tenant' },
  'account.me': { reason: "returns the caller's own account" },
  'account.rename': { reason: "changes the caller's own name" },
  'account.changePassword': { reason: "changes the caller's own password" },
  'account.sessions': { reason: "lists the caller's own sessions" },
  'account.endSession': { reason: "ends one of the caller's own sessions; anyone else's is NOT_FOUND (sessions.test.ts)" },
  'account.signOutEverywhere': { reason: "ends the caller's own sessions" },
  'account.securityEvents': { reason: "the caller's own account activity" },
  'account.requestPasswordReset': { reason: 'takes an email; the answer is the same whether or not it has an account' },
  'account.resetLink': { reason: 'the one-time reset link is the capability' },
  'account.resetPassword': { reason: 'the one-time reset link is the capability' },
  'admin.users': { reason: 'operator only: the account directory, no tenant data' },
  'admin.accountEvents': { reason: 'operator only: the account audit trail, no tenant data' },
  'admin.deletionReceipts': { reason: 'operator only: receipts of deleted workspaces (row counts, never content)' },
  'admin.workspaces': { reason: "operator only: workspace names and egress grants; a tenant user gets NOT_FOUND (egress-procedures.test.ts)" },
  // A tenant user is not the operator: the operator's procedures do not exist for them.
  'admin.issueResetLink': { probe: (b) => ({ userId: b.owner.id }), expect: 'NOT_FOUND' },
  'workspaces.mine': { reason: "lists the caller's own memberships" },
  'workspaces.create': { reason: 'creates a new workspace owned by the caller' },
  'workspaces.bySlug': { probe: (b) => ({ slug: b.workspace.slug }), expect: 'NOT_FOUND' },
  'invitations.preview': { reason: 'the invitation token is the capability: whoever holds the link may see it' },
  // Holding a link sent to someone else must not let A join B.
  'invitations.accept': { probe: (b) => ({ token: b.pendingInvitation.token }), expect: 'FORBIDDEN' },
  // The operator's egress grant: a tenant user cannot even see that it exists.
  'providers.allowPrivateEgress': { probe: (b) => ({ workspaceId: b.workspace.id, allowed: true }), expect: 'NOT_FOUND' },
  // The operator's plans and overrides (plan-limits.test.ts): a tenant user cannot read or change them.
  'limits.directory': { probe: () => ({}), expect: 'NOT_FOUND' },
  'limits.settings': { probe: (b) => ({ workspaceId: b.workspace.id }), expect: 'NOT_FOUND' },
  'limits.set': {
    probe: (b) => ({ workspaceId: b.workspace.id, plan: 'enterprise', overrides: SAMPLE_VALUES.overrides }),
    expect: 'NOT_FOUND',
  },
};

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let userA: SessionUser;
let tables: TenantTable[];
let bBefore: Snapshot;

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
  userA = a.owner;
  tables = await tenantTables(db.owner);
  bBefore = await snapshotWorkspaceRows(db.owner, tables, b.workspace.id);
});
afterAll(async () => db.stop());

describe('isolation (c): procedures called with another workspace', () => {
  it('probes as a plain tenant user, with B seeded in every tenant table', () => {
    expect(userA.isOperator).toBe(false);
    const missing = unseededTables(bBefore);
    expect(missing, listing('Extend seedTenant() in server/testing/two-workspaces.ts for', missing)).toEqual([]);
  });

  it('classifies every procedure by access', () => {
    const unclassified = procedures
      .filter((p) => !['public', 'authed', 'workspace', 'operator'].includes(p.meta.access ?? ''))
      .map((p) => `${p.path}: meta.access is ${p.meta.access}; build it from a named procedure in server/trpc/init.ts`);
    expect(unclassified, listing('Procedures without access meta', unclassified)).toEqual([]);
    expect(workspaceProcedures().length).toBeGreaterThan(0);
    const nonWorkspace = procedures.filter((p) => p.meta.access !== 'workspace').map((p) => p.path);
    // Each public, authed or operator procedure must be listed: probed with B's identifiers, or why it takes none.
    expect(Object.keys(NON_WORKSPACE_PROCEDURES).sort(), 'NON_WORKSPACE_PROCEDURES is out of date').toEqual(nonWorkspace.sort());
  });

  it("answers NOT_FOUND to every workspace procedure on B's workspace, as for a workspace that does not exist", async () => {
    const problems: string[] = [];
    for (const p of workspaceProcedures()) {
      try {
        const onB = await call(userA, p.path, sampleInput(p, { ...entityIdsOf(b), workspaceId: b.workspace.id }));
        const onNothing = await call(userA, p.path, sampleInput(p, { ...entityIdsOf(b), workspaceId: randomUUID() }));
        if (onB.ok || onB.code !== 'NOT_FOUND') problems.push(`${p.path} (${p.type}) on B: ${show(onB)}`);
        else if (show(onB) !== show(onNothing)) {
          problems.push(`${p.path}: B answers ${show(onB)} but a missing workspace ${show(onNothing)} — existence leaks`);
        }
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    expect(problems, listing('Workspace procedures that reach workspace B', problems)).toEqual([]);
  });

  it("answers NOT_FOUND when A's owner passes B's entity ids within workspace A", async () => {
    const withEntityIds = workspaceProcedures().filter((p) =>
      p.fields().some((f) => f.name !== 'workspaceId' && f.name.endsWith('Id')),
    );
    expect(withEntityIds.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const p of withEntityIds) {
      try {
        const outcome = await call(userA, p.path, sampleInput(p, { ...entityIdsOf(b), workspaceId: a.workspace.id }));
        if (outcome.ok || outcome.code !== 'NOT_FOUND') problems.push(`${p.path} (${p.type}): ${show(outcome)}`);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    expect(problems, listing("Procedures that act on B's entities from workspace A", problems)).toEqual([]);
  });

  it("refuses other procedures that take B's identifiers", async () => {
    const problems: string[] = [];
    for (const [path, classification] of Object.entries(NON_WORKSPACE_PROCEDURES)) {
      if (!('probe' in classification)) continue;
      const outcome = await call(userA, path, classification.probe(b));
      if (outcome.ok || outcome.code !== classification.expect) {
        problems.push(`${path}: expected ${classification.expect}, got ${show(outcome)}`);
      }
    }
    expect(problems, listing('Procedures that reach workspace B', problems)).toEqual([]);
  });

  it('leaves every row of B exactly as it was', async () => {
    expect(await snapshotWorkspaceRows(db.owner, tables, b.workspace.id)).toEqual(bBefore);
  });
});
