// Approval rules on real runs, against a real database and the local model over
// HTTP (through a counting proxy, so every model request is seen): a tool in the
// policy's list and a model call above its cost each pause the run in
// awaiting_approval with no worker holding it; approving resumes it at the step
// that asked with no step or model request repeated; rejecting and expiring fail
// it with a clear message; cancel takes the approval with it; another workspace
// cannot see or decide an approval, and a viewer cannot decide one.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWorkspace } from '../db/with-workspace';
import { approvalsOfWorkspace, approveApproval, rejectApproval } from '../governance/approvals';
import { sweepExpiredApprovals } from '../governance/approval-sweep';
import type { Gateway } from '../llm/gateway';
import { startLocalModelServer, type LocalModelServer } from '../llm/local-model/local-model-server';
import { nodeEgressAdapters } from '../net/node-egress-adapters';
import { traceOfRun } from '../observability/trace-spans';
import { signUp, type AccountSummary } from '../tenancy/accounts';
import { acceptInvitation, inviteMember } from '../tenancy/invitations';
import type { Actor } from '../tenancy/members';
import type { WorkspaceRole } from '../tenancy/roles';
import { call } from '../testing/procedure-calls';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { localModelGateway, seedTenantsOnLocalModel } from '../testing/local-model-tenants';
import type { SeededTenant } from '../testing/two-workspaces';
import { createAgent } from './agents';
import { claimNextRun } from './claim-order';
import { NEW_AGENT_DEFAULTS } from './new-agent-defaults';
import { executeRun, type RunLoopDeps } from './run-loop';
import { cancelRun, runById, startRun } from './runs';
import { createQuickJsSandbox } from './tools/javascript-sandbox';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let ownerA: Actor;
let admin: AccountSummary;
let viewer: AccountSummary;
let model: LocalModelServer;
let proxy: Server;
let gateway: Gateway;
let calculator: string;
let chatRequests = 0;
const sandbox = createQuickJsSandbox();

const TOOL_PROMPT = 'use run_javascript with code 1+2';

function deps(workerId: string): RunLoopDeps {
  return { gateway, sandbox, egressAdapters: nodeEgressAdapters, workerId, leaseMs: 5_000, streamFlushMs: 0 };
}

/** Forwards to the local model, counting chat completion requests. */
async function countingProxy(target: LocalModelServer): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url?.includes('/chat/completions')) chatRequests += 1;
    const upstream = httpRequest({ host: '127.0.0.1', port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function setApprovalRules(workspaceId: string, approvals: object) {
  await withWorkspace(workspaceId, async (tx) => {
    const last = await tx.workspacePolicy.findFirst({ where: { workspaceId }, orderBy: { version: 'desc' } });
    await tx.workspacePolicy.create({ data: { workspaceId, version: (last?.version ?? 0) + 1, document: { approvals } } });
  });
}

async function joinA(role: WorkspaceRole, name: string): Promise<AccountSummary> {
  const account = await signUp({ email: `${role}-appr@alpha.test`, name, password: 'correct horse battery staple' });
  const { url } = await withWorkspace(a.workspace.id, (tx) => inviteMember(tx, ownerA, { email: account.email, role }));
  await acceptInvitation(account, url.split('/invite/')[1]!);
  return account;
}

/** Claims the next run and executes it until it finishes or pauses. */
async function workOne(workerId = 'worker-approvals') {
  const claimed = await claimNextRun(workerId, 5_000);
  expect(claimed).not.toBeNull();
  await executeRun(deps(workerId), claimed!);
  return claimed!;
}

const runOf = (runId: string) => withWorkspace(a.workspace.id, (tx) => runById(tx, a.workspace.id, runId));
const pendingOf = async (runId: string) =>
  (await withWorkspace(a.workspace.id, (tx) => approvalsOfWorkspace(tx, a.workspace.id))).pending.filter((p) => p.runId === runId);

async function countRows(sql: string, params: unknown[]): Promise<number> {
  const { rows } = await db.owner.query<{ n: number }>(sql, params);
  return rows[0]!.n;
}

async function startCalculatorRun(input = TOOL_PROMPT) {
  return withWorkspace(a.workspace.id, (tx) => startRun(tx, ownerA, { agentId: calculator, input }));
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b, ownerA } = await seedTenantsOnLocalModel());
  model = await startLocalModelServer({ port: 0 });
  proxy = await countingProxy(model);
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1`;
  gateway = localModelGateway(proxyUrl);
  calculator = (
    await withWorkspace(a.workspace.id, (tx) =>
      createAgent(tx, ownerA, { ...NEW_AGENT_DEFAULTS, providerId: null, name: 'Calculator', description: '', changeNote: '', tools: ['run_javascript'] }),
    )
  ).id;
  admin = await joinA('admin', 'Ada Admin');
  viewer = await joinA('viewer', 'Vic Viewer');
}, 120_000);

afterAll(async () => {
  await sandbox.close();
  await new Promise((resolve) => proxy?.close(resolve));
  await model?.stop();
  await db?.stop();
});

describe('a tool call in the approval list', () => {
  it('pauses the run, and after approval resumes it at that step with no step or model request repeated', async () => {
    await setApprovalRules(a.workspace.id, { tools: ['run_javascript'], expiresAfterMinutes: 30 });
    const run = await startCalculatorRun();
    const requestsBefore = chatRequests;
    await workOne();

    const paused = await runOf(run.id);
    expect(paused.status).toBe('awaiting_approval');
    expect(paused.steps.map((s) => [s.stepIndex, s.kind])).toEqual([[0, 'model']]);
    expect(chatRequests - requestsBefore).toBe(1);
    const { rows: lease } = await db.owner.query(`SELECT lease_owner, lease_expires_at FROM runs WHERE id = $1`, [run.id]);
    expect(lease[0]).toEqual({ lease_owner: null, lease_expires_at: null });
    const [pending] = await pendingOf(run.id);
    expect(pending).toMatchObject({ stepIndex: 1, kind: 'tool', toolName: 'run_javascript', toolArgs: { code: '1+2' }, decision: null, runStatus: 'awaiting_approval' });
    expect(pending!.expiresAt.getTime() - pending!.requestedAt.getTime()).toBe(30 * 60_000);
    // A waiting run is not claimable.
    expect(await claimNextRun('worker-idle', 5_000)).toBeNull();

    const approved = await call(admin, 'approvals.approve', { workspaceId: a.workspace.id, approvalId: pending!.id, reason: 'Harmless arithmetic' });
    expect(approved).toEqual({ ok: true });
    expect((await runOf(run.id)).status).toBe('queued');
    await workOne('worker-resume');

    const done = await runOf(run.id);
    expect(done.status).toBe('succeeded');
    expect(done.steps.map((s) => [s.stepIndex, s.kind, s.status])).toEqual([
      [0, 'model', 'ok'],
      [1, 'tool', 'ok'],
      [2, 'model', 'ok'],
    ]);
    expect(JSON.stringify(done.steps[1]!.toolResult)).toContain('3');
    // Two model calls in all: the first before the pause, the answer after it.
    expect(chatRequests - requestsBefore).toBe(2);
    expect(await countRows(`SELECT count(*)::int AS n FROM run_steps WHERE run_id = $1`, [run.id])).toBe(3);
    expect(await countRows(`SELECT count(*)::int AS n FROM usage_events WHERE run_id = $1`, [run.id])).toBe(2);
    expect(await countRows(`SELECT count(*)::int AS n FROM run_approvals WHERE run_id = $1`, [run.id])).toBe(1);

    const decided = (await withWorkspace(a.workspace.id, (tx) => approvalsOfWorkspace(tx, a.workspace.id))).decided.find((d) => d.runId === run.id);
    expect(decided).toMatchObject({ decision: 'approved', decidedByName: 'Ada Admin', reason: 'Harmless arithmetic', runStatus: 'succeeded' });
    const trace = await withWorkspace(a.workspace.id, (tx) => traceOfRun(tx, a.workspace.id, run.id));
    expect(trace.spans.map((s) => [s.kind, s.stepIndex, s.status])).toEqual([
      ['run', null, 'ok'],
      ['model', 0, 'ok'],
      ['approval', 1, 'ok'],
      ['tool', 1, 'ok'],
      ['model', 2, 'ok'],
    ]);
    const { rows: audit } = await db.owner.query(`SELECT action, actor_user_id, target FROM audit_events WHERE target = $1`, [run.id]);
    expect(audit).toEqual([{ action: 'approval.approved', actor_user_id: admin.id, target: run.id }]);
  });

  it('fails the run when rejected, naming who rejected it and why', async () => {
    await setApprovalRules(a.workspace.id, { tools: ['run_javascript'] });
    const run = await startCalculatorRun();
    await workOne();
    const [pending] = await pendingOf(run.id);

    expect(await call(admin, 'approvals.reject', { workspaceId: a.workspace.id, approvalId: pending!.id, reason: '  ' })).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(await call(admin, 'approvals.reject', { workspaceId: a.workspace.id, approvalId: pending!.id, reason: 'No scripts today' })).toEqual({ ok: true });

    const done = await runOf(run.id);
    expect(done.status).toBe('failed');
    expect(done.error).toContain('rejected by Ada Admin: No scripts today');
    expect(done.steps).toHaveLength(1);
    // Decided once: a second decision is a conflict, and the run stays failed.
    expect(await call(admin, 'approvals.approve', { workspaceId: a.workspace.id, approvalId: pending!.id })).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect((await runOf(run.id)).status).toBe('failed');
    const trace = await withWorkspace(a.workspace.id, (tx) => traceOfRun(tx, a.workspace.id, run.id));
    expect(trace.spans.map((s) => [s.kind, s.status])).toEqual([
      ['run', 'error'],
      ['model', 'ok'],
      ['approval', 'error'],
    ]);
    const { rows: audit } = await db.owner.query(`SELECT action, metadata->>'reason' AS reason FROM audit_events WHERE target = $1`, [run.id]);
    expect(audit).toEqual([{ action: 'approval.rejected', reason: 'No scripts today' }]);
    expect(await claimNextRun('worker-idle', 5_000)).toBeNull();
  });

  it('expires after its time: the sweep fails the run once, however many sweeps race', async () => {
    await setApprovalRules(a.workspace.id, { tools: ['run_javascript'], expiresAfterMinutes: 1 });
    const run = await startCalculatorRun();
    await workOne();
    const [pending] = await pendingOf(run.id);
    expect(await sweepExpiredApprovals()).toBe(0);

    // Backdated rather than waited for.
    await db.owner.query(`UPDATE run_approvals SET requested_at = requested_at - interval '2 minutes', expires_at = expires_at - interval '2 minutes' WHERE id = $1`, [pending!.id]);
    const sweeps = await Promise.all([sweepExpiredApprovals(), sweepExpiredApprovals(), sweepExpiredApprovals()]);
    expect(sweeps.reduce((sum, n) => sum + n, 0)).toBe(1);

    const done = await runOf(run.id);
    expect(done.status).toBe('failed');
    expect(done.error).toBe('The approval for the tool run_javascript expired after 1 minute without a decision.');
    expect(await call(admin, 'approvals.approve', { workspaceId: a.workspace.id, approvalId: pending!.id })).toMatchObject({ ok: false, code: 'CONFLICT' });
    const { rows: audit } = await db.owner.query(`SELECT action, actor_user_id FROM audit_events WHERE target = $1`, [run.id]);
    expect(audit).toEqual([{ action: 'approval.expired', actor_user_id: null }]);
    // The seeded approvals of both workspaces are not due and stay pending.
    expect(await countRows(`SELECT count(*)::int AS n FROM run_approvals WHERE id IN ($1, $2) AND decision IS NULL`, [a.approval.id, b.approval.id])).toBe(2);
  });

  it('refuses an approval past its expiry even before the sweep ran', async () => {
    await setApprovalRules(a.workspace.id, { tools: ['run_javascript'], expiresAfterMinutes: 1 });
    const run = await startCalculatorRun();
    await workOne();
    const [pending] = await pendingOf(run.id);
    await db.owner.query(`UPDATE run_approvals SET requested_at = requested_at - interval '2 minutes', expires_at = expires_at - interval '2 minutes' WHERE id = $1`, [pending!.id]);
    await expect(withWorkspace(a.workspace.id, (tx) => approveApproval(tx, ownerA, pending!.id, null))).rejects.toThrow('expired');
    expect((await runOf(run.id)).status).toBe('awaiting_approval');
    expect(await sweepExpiredApprovals()).toBe(1);
    expect((await runOf(run.id)).status).toBe('failed');
  });

  it('is cancelled with its run', async () => {
    await setApprovalRules(a.workspace.id, { tools: ['run_javascript'] });
    const run = await startCalculatorRun();
    await workOne();
    const [pending] = await pendingOf(run.id);
    const cancelled = await withWorkspace(a.workspace.id, (tx) => cancelRun(tx, ownerA, run.id));
    expect(cancelled.status).toBe('cancelled');
    const { rows } = await db.owner.query(`SELECT decision FROM run_approvals WHERE id = $1`, [pending!.id]);
    expect(rows).toEqual([{ decision: 'cancelled' }]);
    await expect(withWorkspace(a.workspace.id, (tx) => rejectApproval(tx, ownerA, pending!.id, 'late'))).rejects.toThrow('already cancelled');
  });
});

describe('a model call above the cost threshold', () => {
  it('waits for approval before the call is made, then makes it once', async () => {
    // enclave-local-chat's worst case with a 4096-token output cap is about $0.0016.
    await setApprovalRules(a.workspace.id, { costAboveUsd: 0.001 });
    const run = await startCalculatorRun('What is the capital of France?');
    const requestsBefore = chatRequests;
    await workOne();
    expect((await runOf(run.id)).status).toBe('awaiting_approval');
    expect(chatRequests - requestsBefore).toBe(0);
    const [pending] = await pendingOf(run.id);
    expect(pending).toMatchObject({ stepIndex: 0, kind: 'model', model: 'enclave-local-chat', toolName: null });
    expect(pending!.estimatedCostUsd).toBeGreaterThan(0.001);
    expect(pending!.rule).toContain('above the approval threshold of $0.001.');

    await withWorkspace(a.workspace.id, (tx) => approveApproval(tx, ownerA, pending!.id, null));
    await workOne('worker-resume');
    const done = await runOf(run.id);
    expect(done.status).toBe('succeeded');
    expect(done.steps.map((s) => s.kind)).toEqual(['model']);
    expect(chatRequests - requestsBefore).toBe(1);
  });

  it('does not ask below the threshold', async () => {
    await setApprovalRules(a.workspace.id, { costAboveUsd: 5 });
    const run = await startCalculatorRun('What is the capital of France?');
    await workOne();
    expect((await runOf(run.id)).status).toBe('succeeded');
    expect(await pendingOf(run.id)).toEqual([]);
  });
});

describe('who may see and decide an approval', () => {
  it('gives another workspace NOT_FOUND, and leaves the approval pending', async () => {
    const asB = { workspaceId: b.workspace.id, approvalId: a.approval.id };
    expect(await call(b.owner, 'approvals.approve', asB)).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await call(b.owner, 'approvals.reject', { ...asB, reason: 'not mine' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    // Naming A's workspace, B's owner is not a member there.
    expect(await call(b.owner, 'approvals.approve', { workspaceId: a.workspace.id, approvalId: a.approval.id })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await call(b.owner, 'approvals.forRun', { workspaceId: b.workspace.id, runId: a.approval.runId })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const seenByB = await withWorkspace(b.workspace.id, (tx) => approvalsOfWorkspace(tx, b.workspace.id));
    expect(seenByB.pending.map((p) => p.id)).toEqual([b.approval.id]);
    const { rows } = await db.owner.query(`SELECT decision FROM run_approvals WHERE id = $1`, [a.approval.id]);
    expect(rows).toEqual([{ decision: null }]);
  });

  it('lets a viewer read the inbox but not decide, and a member neither decide', async () => {
    expect(await call(viewer, 'approvals.list', { workspaceId: a.workspace.id })).toEqual({ ok: true });
    expect(await call(viewer, 'approvals.approve', { workspaceId: a.workspace.id, approvalId: a.approval.id })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await call(viewer, 'approvals.reject', { workspaceId: a.workspace.id, approvalId: a.approval.id, reason: 'no' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await call(a.member, 'approvals.approve', { workspaceId: a.workspace.id, approvalId: a.approval.id })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const { rows } = await db.owner.query(`SELECT decision FROM run_approvals WHERE id = $1`, [a.approval.id]);
    expect(rows).toEqual([{ decision: null }]);
  });
});

describe('the approval rules of the policy', () => {
  it('are saved as a new policy version that keeps the other sections, audited, by managers only', async () => {
    const rules = { costAboveUsd: 0.5, tools: ['http_request', ' http_request ', 'run_javascript'], expiresAfterMinutes: 45 };
    expect(await call(viewer, 'approvals.saveRules', { workspaceId: a.workspace.id, ...rules })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await call(admin, 'approvals.saveRules', { workspaceId: a.workspace.id, ...rules, expiresAfterMinutes: 0 })).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    const before = await withWorkspace(a.workspace.id, async (tx) => {
      const last = await tx.workspacePolicy.findFirst({ where: { workspaceId: a.workspace.id }, orderBy: { version: 'desc' } });
      const version = (last?.version ?? 0) + 1;
      await tx.workspacePolicy.create({ data: { workspaceId: a.workspace.id, version, document: { pii: { actions: { email: 'redact' } } } } });
      return version;
    });
    expect(await call(admin, 'approvals.saveRules', { workspaceId: a.workspace.id, ...rules })).toEqual({ ok: true });
    const { rows } = await db.owner.query(`SELECT version, document FROM workspace_policies WHERE workspace_id = $1 ORDER BY version DESC LIMIT 1`, [a.workspace.id]);
    expect(rows[0].version).toBe(before + 1);
    expect(rows[0].document.approvals).toEqual({ costAboveUsd: 0.5, tools: ['http_request', 'run_javascript'], expiresAfterMinutes: 45 });
    // The PII section of the version in force (email: redact) is carried over.
    expect(rows[0].document.pii.actions.email).toBe('redact');
    const { rows: audit } = await db.owner.query(`SELECT actor_user_id, target FROM audit_events WHERE action = 'policy.approval_rules_changed'`);
    expect(audit).toEqual([{ actor_user_id: admin.id, target: `v${before + 1}` }]);
    // B's policy is untouched.
    expect(await countRows(`SELECT count(*)::int AS n FROM workspace_policies WHERE workspace_id = $1`, [b.workspace.id])).toBe(1);
  });
});
