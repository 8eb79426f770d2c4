// Budgets: monthly spend limits for the workspace and its agents, with this
// month's spend so far (settled plus reserved), thresholds reached and a
// burn-down chart each. Everyone who sees usage sees them; managers change them.
import { BudgetForm } from '@/components/budgets/budget-form';
import { BudgetsList } from '@/components/budgets/budgets-list';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/workspace/page-header';
import { canonicalWorkspacePath, resolveWorkspace, workspaceTitle } from '@/components/workspace/resolve-workspace';
import { roleHasScope } from '@/server/tenancy/roles';

export async function generateMetadata({ params }: { params: Promise<{ workspace: string }> }) {
  return workspaceTitle('Budgets', (await params).workspace);
}

export default async function BudgetsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  canonicalWorkspacePath(slug, '/budgets');
  const { caller, workspace } = await resolveWorkspace(slug);
  const canWrite = roleHasScope(workspace.role, 'budgets:write');
  const [budgets, agents] = await Promise.all([
    caller.budgets.list({ workspaceId: workspace.id }),
    canWrite ? caller.agents.list({ workspaceId: workspace.id }) : Promise.resolve([]),
  ]);
  const items = await Promise.all(
    budgets.map(async (b) => ({ ...b, burnDown: await caller.budgets.burnDown({ workspaceId: workspace.id, budgetId: b.id }) })),
  );
  return (
    <>
      <PageHeader
        title="Budgets"
        description="Monthly spend limits on model calls. Every call reserves its worst-case cost first; a hard budget refuses a call that could pass it, a soft one only alerts at 50, 80 and 100%."
      />
      <div className="space-y-6">
        <BudgetsList workspaceId={workspace.id} budgets={items} canWrite={canWrite} />
        {canWrite ? (
          <Card title="New budget" description="One for the whole workspace, and one per agent if you like. A call must fit every budget that applies to it.">
            <BudgetForm workspaceId={workspace.id} agents={agents.filter((a) => !a.archived).map((a) => ({ id: a.id, name: a.name }))} />
          </Card>
        ) : (
          <Alert tone="info">Only owners and admins can create or change budgets.</Alert>
        )}
      </div>
    </>
  );
}
