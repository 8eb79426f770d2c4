// The operator's trail of deleted workspaces: each receipt's time, workspace,
// who deleted it, whether its data key was destroyed, and row counts per table —
// never content. Anyone else gets the not-found page.
import { notFound, redirect } from 'next/navigation';
import { OperatorShell } from '@/components/admin/operator-shell';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { LocalTime } from '@/components/ui/local-time';
import { serverCaller } from '@/server/trpc/server-caller';
import { currentSessionUser } from '@/server/tenancy/session-user';

export async function generateMetadata() {
  const user = await currentSessionUser();
  return { title: user?.isOperator ? 'Deletions' : 'Page not found' };
}

export default async function AdminDeletionsPage() {
  const user = await currentSessionUser();
  if (!user) redirect('/sign-in?callbackUrl=/admin/deletions');
  if (!user.isOperator) notFound();
  const receipts = await (await serverCaller()).admin.deletionReceipts();
  return (
    <OperatorShell current="Deletions" userName={user.name}>
      <Card title="Deletion receipts" description="Written in the same transaction that deleted the workspace. Counts per table only; nothing of the content is kept.">
        {receipts.length === 0 ? (
          <EmptyState title="No workspace has been deleted" />
        ) : (
          <ul className="divide-y divide-slate-200" aria-label="Deletion receipts">
            {receipts.map((r) => (
              <li key={r.id} className="space-y-2 py-3" aria-label={`Deletion of ${r.slug}`}>
                <p className="text-sm text-slate-900">
                  <span className="font-medium">/{r.slug}</span> <span className="font-mono text-xs text-slate-500">{r.deletedWorkspaceId}</span>
                </p>
                <p className="text-xs text-slate-600">
                  <LocalTime date={r.createdAt} withTime /> · by <span className="font-mono">{r.deletedBy ?? 'unknown'}</span> · {r.totalRows} rows ·{' '}
                  {r.dataKeyDestroyed ? 'data key destroyed' : 'no data key existed'}
                </p>
                <details className="text-xs text-slate-600">
                  <summary className="min-h-10 cursor-pointer py-2">Rows per table</summary>
                  <table className="mt-2">
                    <caption className="sr-only">Rows deleted per table</caption>
                    <tbody>
                      {Object.entries(r.rowCounts)
                        .sort(([x], [y]) => x.localeCompare(y))
                        .map(([table, n]) => (
                          <tr key={table}>
                            <th scope="row" className="pr-4 text-left font-mono font-normal">{table}</th>
                            <td className="text-right font-mono">{n}</td>
                          </tr>
                        ))}
                    </tbody>
                  </table>
                </details>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </OperatorShell>
  );
}
