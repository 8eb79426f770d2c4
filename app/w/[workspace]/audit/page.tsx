// Audit log (admins and owners): the workspace's hash-chained events filtered by
// actor, action and time, older pages by chain position, a CSV export of the
// same filter, and chain verification.
import Link from 'next/link';
import { AuditFilterForm, type AuditFilterValues } from '@/components/audit/audit-filter-form';
import { AuditTable } from '@/components/audit/audit-table';
import { VerifyChain } from '@/components/audit/verify-chain';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/workspace/page-header';
import { canonicalWorkspacePath, resolveWorkspace, workspaceTitle } from '@/components/workspace/resolve-workspace';
import { roleHasScope } from '@/server/tenancy/roles';
import { auditFilterSchema } from '@/server/trpc/routers/audit';

export async function generateMetadata({ params }: { params: Promise<{ workspace: string }> }) {
  return workspaceTitle('Audit log', (await params).workspace);
}

type Search = { actor?: string; action?: string; from?: string; to?: string; before?: string };

function firstString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export default async function AuditPage({ params, searchParams }: { params: Promise<{ workspace: string }>; searchParams: Promise<Search> }) {
  const { workspace: slug } = await params;
  canonicalWorkspacePath(slug, '/audit');
  const { caller, workspace } = await resolveWorkspace(slug);
  const header = <PageHeader title="Audit log" description="Every change and access in this workspace, append-only and hash-chained, so any edit or deletion is detectable." />;
  if (!roleHasScope(workspace.role, 'audit:read')) {
    return (
      <>
        {header}
        <Alert tone="info">Only owners and admins can read the audit log.</Alert>
      </>
    );
  }
  const search = await searchParams;
  const raw: AuditFilterValues = { actor: firstString(search.actor), action: firstString(search.action), from: firstString(search.from), to: firstString(search.to) };
  const parsed = auditFilterSchema.safeParse(raw);
  const filter = parsed.success ? parsed.data : {};
  const before = Number.parseInt(firstString(search.before) ?? '', 10);
  const [page, choices] = await Promise.all([
    caller.audit.list({ workspaceId: workspace.id, filter, before: Number.isFinite(before) && before > 0 ? before : null, limit: 50 }),
    caller.audit.filters({ workspaceId: workspace.id }),
  ]);
  const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
  const csvHref = `/api/audit/csv?${new URLSearchParams([['workspaceId', workspace.id], ...query.entries()])}`;
  const olderHref = page.nextCursor ? `/w/${slug}/audit?${new URLSearchParams([...query.entries(), ['before', String(page.nextCursor)]])}` : null;
  return (
    <>
      {header}
      <div className="space-y-6">
        <Card title="Integrity">
          <VerifyChain workspaceId={workspace.id} />
        </Card>
        <Card title="Events">
          <div className="space-y-4">
            {!parsed.success && <Alert>{parsed.error.issues.map((i) => i.message).join('; ')}. Showing all events.</Alert>}
            <AuditFilterForm slug={slug} values={parsed.success ? raw : {}} actions={choices.actions} actors={choices.actors} csvHref={csvHref} />
            <AuditTable events={page.events} />
            <nav aria-label="Audit pages" className="flex gap-4 text-sm">
              {search.before && (
                <Link href={`/w/${slug}/audit?${query}`} className="font-medium text-accent-700 underline">
                  Newest events
                </Link>
              )}
              {olderHref && (
                <Link href={olderHref} className="font-medium text-accent-700 underline">
                  Older events
                </Link>
              )}
            </nav>
          </div>
        </Card>
      </div>
    </>
  );
}
