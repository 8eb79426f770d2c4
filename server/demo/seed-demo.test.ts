// The demo seed on a fresh database: Acme and Globex each get their support agent
// with two versions, an egress allow-list entry and finished runs that really ran
// through the run loop (model and tool steps, one usage row per model step), each
// workspace sees only its own runs, governance is in place, and seeding again adds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runById, runsOfWorkspace } from '../agents/runs';
import { withWorkspace } from '../db/with-workspace';
import { NotFound } from '../domain-errors';
import { allowListOfWorkspace } from '../net/egress-allow-list';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedDemo } from './seed-demo';
import { budgetAlertsThisMonth, budgetsOfWorkspace } from '../governance/budgets';
import { currentPolicy } from '../governance/policy-document';

let db: TestDatabase;
const ids: Record<string, string> = {};

async function counts() {
  const { rows } = await db.owner.query<{ runs: number; steps: number; usage: number; hosts: number; agents: number }>(`
    SELECT (SELECT count(*)::int FROM runs) AS runs, (SELECT count(*)::int FROM run_steps) AS steps,
           (SELECT count(*)::int FROM usage_events) AS usage, (SELECT count(*)::int FROM egress_allowed_hosts) AS hosts,
           (SELECT count(*)::int FROM agents) AS agents`);
  return rows[0]!;
}

beforeAll(async () => {
  db = await createTestDatabase();
  expect(await seedDemo()).toEqual(['operator@enclave.local', 'alice@acme.test', 'bob@globex.test']);
  const { rows } = await db.owner.query<{ id: string; slug: string }>(`SELECT id, slug FROM workspaces`);
  for (const row of rows) ids[row.slug] = row.id;
}, 180_000);
afterAll(async () => db?.stop());

describe('demo seed', () => {
  it.each(['acme', 'globex'])('gives %s its agent with two versions and an allow-list entry', async (slug) => {
    const workspaceId = ids[slug]!;
    const { rows } = await db.owner.query<{ name: string; published_version: number; versions: number }>(
      `SELECT a.name, a.published_version, (SELECT count(*)::int FROM agent_versions v WHERE v.agent_id = a.id) AS versions
       FROM agents a WHERE a.workspace_id = $1`,
      [workspaceId],
    );
    expect(rows).toEqual([{ name: 'Support assistant', published_version: 2, versions: 2 }]);
    expect(await withWorkspace(workspaceId, (tx) => allowListOfWorkspace(tx, workspaceId))).toEqual([slug === 'acme' ? 'api.github.com' : '*.wikipedia.org']);
  });

  it.each(['acme', 'globex'])('gives %s finished runs with real steps and usage rows', async (slug) => {
    const workspaceId = ids[slug]!;
    const runs = await withWorkspace(workspaceId, (tx) => runsOfWorkspace(tx, workspaceId));
    expect(runs).toHaveLength(3);
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    for (const summary of runs) {
      const run = await withWorkspace(workspaceId, (tx) => runById(tx, workspaceId, summary.id));
      expect(run.agentVersion).toBe(2);
      expect(run.output).toBeTruthy();
      const modelSteps = run.steps.filter((s) => s.kind === 'model');
      expect(modelSteps.length).toBeGreaterThan(0);
      expect(run.totals.inputTokens).toBeGreaterThan(0);
      const { rows } = await db.owner.query<{ step_index: number; agent_id: string; workspace_id: string }>(
        `SELECT step_index, agent_id, workspace_id FROM usage_events WHERE run_id = $1 ORDER BY step_index`,
        [run.id],
      );
      // One row per model call: each model step, and the query embedding of each knowledge search.
      const metered = run.steps.filter((s) => s.kind === 'model' || s.toolName === 'knowledge_search');
      expect(rows.map((r) => r.step_index)).toEqual(metered.map((s) => s.stepIndex));
      expect(rows.every((r) => r.workspace_id === workspaceId && r.agent_id === run.agentId)).toBe(true);
    }
    // The refund question made the agent call run_javascript and answer from its result.
    const refund = runs.find((r) => r.input.includes('run_javascript'))!;
    const detail = await withWorkspace(workspaceId, (tx) => runById(tx, workspaceId, refund.id));
    // The version retrieves from the workspace's documentation first (a knowledge_search step that cites passages).
    expect(detail.steps.map((s) => s.toolName ?? s.kind)).toEqual(['knowledge_search', 'model', 'run_javascript', 'model']);
    expect(JSON.stringify(detail.steps[0]!.toolResult)).toContain(slug === 'acme' ? 'Rocket Skates' : 'backup');
    // Both workspaces ran the same questions: no search of one ever cites the other's document.
    const otherTitle = slug === 'acme' ? 'Cloud backup handbook' : 'Rocket Skates product guide';
    for (const summary of runs) {
      const searched = (await withWorkspace(workspaceId, (tx) => runById(tx, workspaceId, summary.id))).steps.filter((s) => s.toolName === 'knowledge_search');
      expect(searched.length).toBeGreaterThan(0);
      expect(JSON.stringify(searched.map((s) => s.toolResult))).not.toContain(otherTitle);
    }
    expect(JSON.stringify(detail.steps[2]!.toolResult)).toContain('112.3');
  });

  it("keeps Globex's runs invisible to Acme", async () => {
    const globexRuns = await withWorkspace(ids.globex!, (tx) => runsOfWorkspace(tx, ids.globex!));
    const acmeRuns = await withWorkspace(ids.acme!, (tx) => runsOfWorkspace(tx, ids.acme!));
    expect(acmeRuns.some((r) => globexRuns.some((g) => g.id === r.id))).toBe(false);
    for (const run of globexRuns) {
      await expect(withWorkspace(ids.acme!, (tx) => runById(tx, ids.acme!, run.id))).rejects.toBeInstanceOf(NotFound);
      await expect(withWorkspace(ids.acme!, (tx) => runById(tx, ids.globex!, run.id))).rejects.toBeInstanceOf(NotFound);
    }
  });

  it('makes governance visible: Acme redacts emails and spends against its budgets, Globex asks before run_javascript', async () => {
    const acme = await withWorkspace(ids.acme!, (tx) => currentPolicy(tx, ids.acme!));
    expect(acme.document.pii.actions.email).toBe('redact');
    expect(acme.document.approvals.tools).toEqual([]);
    const budgets = await withWorkspace(ids.acme!, (tx) => budgetsOfWorkspace(tx, ids.acme!));
    expect(budgets.map((b) => [b.name, b.enforcement])).toEqual(
      expect.arrayContaining([['Acme monthly model spend', 'hard'], ['Support assistant pilot', 'soft']]),
    );
    expect(budgets.every((b) => b.spentUsd > 0)).toBe(true);
    const alerts = await withWorkspace(ids.acme!, (tx) => budgetAlertsThisMonth(tx, ids.acme!));
    expect(alerts.length).toBeGreaterThan(0);
    const globex = await withWorkspace(ids.globex!, (tx) => currentPolicy(tx, ids.globex!));
    expect(globex.document.approvals.tools).toEqual(['run_javascript']);
    expect(globex.document.pii.actions.email).toBe('allow');
  });

  it('changes nothing when seeding again', async () => {
    const before = await counts();
    expect(before).toMatchObject({ runs: 6, agents: 2, hosts: 2 });
    expect(await seedDemo()).toEqual([]);
    expect(await counts()).toEqual(before);
  });
});
