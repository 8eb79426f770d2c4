// The effective limits (plan, then the operator's override) and the policy in force,
// each read inside its own workspace only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import { withWorkspace } from '../db/with-workspace';
import { workspaceLimits } from './workspace-limits';
import { currentPolicy, DEFAULT_POLICY } from './policy-document';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
});
afterAll(async () => db?.stop());

describe('workspace limits', () => {
  it('are the plan limits with the operator override on top', async () => {
    const limits = await withWorkspace(a.workspace.id, (tx) => workspaceLimits(tx, a.workspace.id));
    expect(limits).toMatchObject({ plan: 'free', runsPerMinute: 77, schedulingWeight: 1, concurrentRuns: 2 });
  });

  it('cannot be read for another workspace', async () => {
    await expect(withWorkspace(a.workspace.id, (tx) => workspaceLimits(tx, b.workspace.id))).rejects.toThrow(/no workspace/);
  });
});

describe('workspace policy', () => {
  it('is the highest version, parsed with defaults for missing sections', async () => {
    const policy = await withWorkspace(a.workspace.id, (tx) => currentPolicy(tx, a.workspace.id));
    expect(policy.version).toBe(1);
    expect(policy.document.pii.actions.email).toBe('redact');
    expect(policy.document.pii.actions.phone).toBe('allow');
    expect(policy.document.approvals).toEqual(DEFAULT_POLICY.approvals);
  });
});
