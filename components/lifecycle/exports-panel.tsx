'use client';
// Workspace exports for owners: request one, watch it being built (tables done
// of all, rows so far; polled while in progress) and download finished archives.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { EmptyState } from '../ui/empty-state';
import { LocalTime } from '../ui/local-time';
import { formError } from '../ui/mutation-errors';
import { useToast } from '../ui/toast';

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function ExportsPanel({ workspaceId }: { workspaceId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const listOptions = trpc.lifecycle.exports.queryOptions({ workspaceId });
  const exports = useQuery({
    ...listOptions,
    refetchInterval: (query) => (query.state.data?.some((e) => e.status === 'queued' || e.status === 'running') ? 1000 : false),
  });
  const request = useMutation(
    trpc.lifecycle.requestExport.mutationOptions({
      onSuccess: () => {
        toast('Export requested: it is being built');
        return queryClient.invalidateQueries({ queryKey: listOptions.queryKey });
      },
    }),
  );
  const busy = exports.data?.some((e) => e.status === 'queued' || e.status === 'running') ?? false;

  return (
    <div className="space-y-4" data-testid="exports">
      <div className="flex flex-wrap items-center gap-3">
        <Button onClick={() => request.mutate({ workspaceId })} pending={request.isPending} pendingLabel="Requesting…" disabled={busy}>
          Export all data
        </Button>
        <p className="text-sm text-slate-600">A .tar.gz of NDJSON files, one per table. Secret values are never included.</p>
      </div>
      {request.error && <Alert>{formError(request.error)}</Alert>}
      {exports.error && <Alert>{formError(exports.error)}</Alert>}
      {exports.data && exports.data.length === 0 && <EmptyState title="No exports yet">Request one to download everything this workspace holds.</EmptyState>}
      {exports.data && exports.data.length > 0 && (
        <ul className="divide-y divide-slate-100">
          {exports.data.map((e) => (
            <li key={e.id} className="flex flex-wrap items-center gap-3 py-3 text-sm" data-testid="export-row" data-status={e.status}>
              <LocalTime date={e.createdAt} withTime className="text-slate-700" />
              {(e.status === 'queued' || e.status === 'running') && (
                <span role="status" className="flex items-center gap-2 text-slate-600">
                  <progress max={e.tablesTotal ?? 1} value={e.status === 'queued' ? 0 : e.tablesDone} className="h-2 w-32" aria-label="Export progress" />
                  {e.status === 'queued' ? 'Waiting for a worker…' : `Table ${e.tablesDone} of ${e.tablesTotal ?? '…'}, ${e.rowsWritten} rows`}
                </span>
              )}
              {e.status === 'done' && (
                <>
                  <span className="text-slate-600">
                    {e.rowsWritten} rows, {size(e.archiveBytes ?? 0)}
                  </span>
                  <a href={`/api/exports/${e.id}?workspaceId=${workspaceId}`} download className="font-medium text-accent-700 underline">
                    Download
                  </a>
                </>
              )}
              {e.status === 'failed' && <span className="text-red-700">{e.error ?? 'The export failed.'}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
