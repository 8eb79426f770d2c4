'use client';
// The documents of a knowledge base with their ingestion status, progress, chunk
// count and failure reason; refreshed every second while any is queued or being
// ingested. Writers can retry a failed document or delete one (its chunks go too).
import { useMutation, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/trpc/root';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { ConfirmButton } from '../ui/confirm-button';
import { EmptyState } from '../ui/empty-state';
import { LocalTime } from '../ui/local-time';
import { useToast } from '../ui/toast';

type BaseDetail = inferRouterOutputs<AppRouter>['knowledge']['get'];
type DocumentRow = BaseDetail['documents'][number];

const STATUS_LABEL: Record<DocumentRow['status'], string> = { queued: 'Queued', processing: 'Ingesting', ready: 'Ready', failed: 'Failed' };
const STATUS_TONE: Record<DocumentRow['status'], string> = {
  queued: 'bg-slate-100 text-slate-700',
  processing: 'bg-blue-50 text-blue-800',
  ready: 'bg-green-50 text-green-800',
  failed: 'bg-red-50 text-red-800',
};

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

export function DocumentsTable(props: { workspaceId: string; knowledgeBaseId: string; initial: BaseDetail; canWrite: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [notice, setNotice] = useState<string>();
  const input = { workspaceId: props.workspaceId, knowledgeBaseId: props.knowledgeBaseId };
  const detail = useQuery(
    trpc.knowledge.get.queryOptions(input, {
      initialData: props.initial,
      refetchInterval: (query) => (query.state.data?.documents.some((d) => d.status === 'queued' || d.status === 'processing') ? 1000 : false),
    }),
  );
  // A server refresh (after an upload, paste or URL) brings new documents: read them now, which restarts polling.
  const { refetch } = detail;
  useEffect(() => {
    void refetch();
  }, [props.initial, refetch]);
  const refresh = () => {
    setNotice(undefined);
    void detail.refetch();
    router.refresh();
  };
  const toast = useToast();
  const documentName = (id: string) => (detail.data?.documents ?? props.initial.documents).find((d) => d.id === id)?.name ?? 'the document';
  const remove = useMutation(
    trpc.knowledge.deleteDocument.mutationOptions({
      onSuccess: (_, { documentId }) => {
        toast(`Deleted ${documentName(documentId)}`);
        refresh();
      },
      onError: (e) => setNotice(e.message),
    }),
  );
  const retry = useMutation(
    trpc.knowledge.retryDocument.mutationOptions({
      onSuccess: (_, { documentId }) => {
        toast(`Queued ${documentName(documentId)} again`);
        refresh();
      },
      onError: (e) => setNotice(e.message),
    }),
  );
  const documents = detail.data?.documents ?? props.initial.documents;

  if (documents.length === 0) {
    return <EmptyState title="No documents yet">{props.canWrite ? 'Upload files, paste text or add a URL above.' : 'Members can add documents.'}</EmptyState>;
  }
  return (
    <div className="space-y-3">
      {notice && <Alert>{notice}</Alert>}
      {detail.isError && <Alert>The documents could not be refreshed. {detail.error.message}</Alert>}
      <div className="relative -mx-5 overflow-x-auto focus-visible:outline-2 focus-visible:outline-accent-600 sm:-mx-6" role="region" aria-label="Documents" tabIndex={0}>
        <table className="min-w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-2 pl-6 pr-4 font-medium">Document</th>
              <th scope="col" className="py-2 pr-4 font-medium">Status</th>
              <th scope="col" className="py-2 pr-4 font-medium">Chunks</th>
              <th scope="col" className="py-2 pr-4 font-medium">Added</th>
              {props.canWrite && (
                <th scope="col" className="py-2 pr-6 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {documents.map((d) => (
              <tr key={d.id}>
                <td className="py-3 pl-6 pr-4 align-top">
                  <span className="block break-all font-medium text-slate-900">{d.name}</span>
                  <span className="text-xs text-slate-500">
                    {d.sourceKind === 'url' ? d.sourceUrl : d.sourceKind === 'paste' ? 'Pasted text' : 'Upload'}
                    {d.format ? ` · ${d.format}` : ''}
                    {d.sizeBytes ? ` · ${size(d.sizeBytes)}` : ''}
                  </span>
                </td>
                <td className="py-3 pr-4 align-top">
                  <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${STATUS_TONE[d.status]}`}>
                    {STATUS_LABEL[d.status]}
                    {d.status === 'processing' ? ` ${d.progress}%` : ''}
                  </span>
                  {d.status === 'processing' && <progress className="mt-1 block h-1.5 w-28" max={100} value={d.progress} aria-label={`Ingestion of ${d.name}`} />}
                  {d.failureReason && <p className={`mt-1 text-xs ${d.status === 'failed' ? 'text-red-700' : 'text-slate-600'}`}>{d.failureReason}</p>}
                </td>
                <td className="py-3 pr-4 align-top tabular-nums">{d.chunkCount}</td>
                <td className="whitespace-nowrap py-3 pr-4 align-top text-slate-500">
                  <LocalTime date={d.createdAt} withTime />
                </td>
                {props.canWrite && (
                  <td className="py-3 pr-6 text-right align-top">
                    <div className="flex justify-end gap-2">
                      {d.status === 'failed' && (
                        <Button variant="secondary" pending={retry.isPending && retry.variables?.documentId === d.id} pendingLabel="Retrying…" onClick={() => retry.mutate({ workspaceId: props.workspaceId, documentId: d.id })}>
                          Retry
                        </Button>
                      )}
                      <ConfirmButton
                        variant="danger"
                        nowrap
                        question={`Delete ${d.name}? Its passages are never retrieved again.`}
                        confirmLabel="Delete"
                        pending={remove.isPending && remove.variables?.documentId === d.id}
                        pendingLabel="Deleting…"
                        onConfirm={() => remove.mutate({ workspaceId: props.workspaceId, documentId: d.id })}
                      >
                        Delete
                      </ConfirmButton>
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
