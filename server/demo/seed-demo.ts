// Demo data: an operator and two workspaces, Acme and Globex, each with one owner,
// a ready support agent (two published versions), an egress allow-list entry and
// a few finished runs executed through the run loop, and governance: Acme on the
// pro plan, Globex on free with a tight runs-per-minute override, policies, budgets
// and an approval rule (seed-demo-governance.ts). Seeded on an empty embedded
// database or when ENCLAVE_DEMO=1; accounts that already exist are left alone, so
// seeding twice changes nothing.
import { seedDemoAgents } from '../agents/demo-agents';
import { withWorkspace } from '../db/with-workspace';
import { LIMIT_FIELDS, type LimitOverrides } from '../governance/limit-fields';
import { setWorkspaceLimits } from '../governance/limit-settings';
import { addAllowedHost } from '../net/egress-allow-list';
import { seedDemoKnowledge } from './seed-demo-knowledge';
import { accountExists, anyAccountExists, grantOperator, signUp } from '../tenancy/accounts';
import { createWorkspace } from '../tenancy/workspaces';
import { executeDemoRuns, queueDemoRuns, type DemoRunRef } from './demo-runs';
import { seedDemoApprovalRules, seedDemoGovernance } from './seed-demo-governance';

export const DEMO_ACCOUNTS = [
  { email: 'operator@enclave.local', name: 'Olivia Operator', password: 'operator-demo-1', workspace: null },
  {
    email: 'alice@acme.test',
    name: 'Alice Acme',
    password: 'alice-demo-1',
    workspace: {
      name: 'Acme',
      slug: 'acme',
      allowedHost: { pattern: 'api.github.com', note: 'Public GitHub API: release notes for customers' },
      limits: { plan: 'pro', overrides: {} },
    },
  },
  {
    email: 'bob@globex.test',
    name: 'Bob Globex',
    password: 'bob-demo-1',
    workspace: {
      name: 'Globex',
      slug: 'globex',
      allowedHost: { pattern: '*.wikipedia.org', note: 'Encyclopedia look-ups' },
      // A tight rate limit, so the limits page and its refusal are easy to see.
      limits: { plan: 'free', overrides: { runsPerMinute: 10 } },
    },
  },
] as const;

/** Returns the accounts it created. */
export async function seedDemo(): Promise<string[]> {
  const created: string[] = [];
  const runs: DemoRunRef[] = [];
  const owners: { actor: { userId: string; workspaceId: string; role: 'owner' }; company: string }[] = [];
  let operatorId: string | null = null;
  for (const account of DEMO_ACCOUNTS) {
    if (await accountExists(account.email)) continue;
    const user = await signUp(account);
    if (!account.workspace) operatorId = user.id;
    if (account.workspace) {
      const { allowedHost, limits, ...names } = account.workspace;
      const workspace = await createWorkspace(user.id, names);
      const overrides = { ...(Object.fromEntries(LIMIT_FIELDS.map((f) => [f, null])) as LimitOverrides), ...limits.overrides };
      await withWorkspace(workspace.id, (tx) =>
        setWorkspaceLimits(tx, { workspaceId: workspace.id, operatorUserId: operatorId ?? user.id, plan: limits.plan, overrides }),
      );
      const actor = { userId: user.id, workspaceId: workspace.id, role: 'owner' as const };
      const knowledgeBaseId = await seedDemoKnowledge(workspace.id, user.id, account.workspace.name);
      const agentId = await seedDemoAgents(workspace.id, user.id, account.workspace.name, knowledgeBaseId);
      await withWorkspace(workspace.id, (tx) => addAllowedHost(tx, actor, allowedHost));
      await seedDemoGovernance(actor, account.workspace.name, agentId);
      owners.push({ actor, company: account.workspace.name });
      runs.push(...(await queueDemoRuns(actor, agentId)));
    }
    created.push(account.email);
  }
  await grantOperator(DEMO_ACCOUNTS[0].email);
  await executeDemoRuns(runs);
  for (const { actor, company } of owners) await seedDemoApprovalRules(actor, company);
  return created;
}

/** Whether any demo account is present (their passwords are in the README). */
export function demoAccountsExist(): Promise<boolean> {
  return anyAccountExists(DEMO_ACCOUNTS.map((a) => a.email));
}

export function demoLoginsText(): string {
  const lines = DEMO_ACCOUNTS.map(
    (a) => `  ${a.email.padEnd(24)} ${a.password.padEnd(16)} ${a.workspace ? `owner of ${a.workspace.name}` : 'operator'}`,
  );
  return ['Demo logins (email, password, role):', ...lines].join('\n');
}
