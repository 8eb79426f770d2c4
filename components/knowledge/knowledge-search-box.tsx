'use client';
// Searches the knowledge base the way agents do (hybrid: vector and full text,
// fused by reciprocal rank) and shows each passage with its document, section,
// fused score and the rank it had in each leg.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { EmptyState } from '../ui/empty-state';
import { TextField } from '../ui/text-field';
import { fieldError, formError } from '../ui/mutation-errors';

export function KnowledgeSearchBox(props: { workspaceId: string; knowledgeBaseId: string }) {
  const trpc = useTRPC();
  const [query, setQuery] = useState('');
  const search = useQuery(
    trpc.knowledge.search.queryOptions(
      { workspaceId: props.workspaceId, knowledgeBaseIds: [props.knowledgeBaseId], query, limit: 8 },
      { enabled: query.length > 0, retry: false, staleTime: 10_000 },
    ),
  );
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setQuery(String(new FormData(event.currentTarget).get('query') ?? '').trim());
  }
  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} role="search" className="flex flex-wrap items-end gap-3" noValidate>
        <TextField label="Search this knowledge base" name="query" className="min-w-64 flex-1" autoComplete="off" placeholder="How long is the warranty?" error={fieldError(search.error, 'query')} />
        <Button type="submit" pending={search.isFetching} pendingLabel="Searching…">
          Search
        </Button>
      </form>
      {search.isError && formError(search.error) && <Alert>{formError(search.error)}</Alert>}
      {search.data && search.data.hits.length === 0 && <EmptyState title="No passages found">Try other words, or wait until documents are ready.</EmptyState>}
      {search.data && search.data.hits.length > 0 && (
        <ol className="space-y-3" aria-label="Search results">
          {search.data.hits.map((hit, i) => (
            <li key={hit.chunkId} className="rounded-md border border-slate-200 p-3">
              <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
                <span className="font-medium text-slate-900">
                  [{i + 1}] {hit.documentName}
                  {hit.headingPath.length > 0 && <span className="font-normal text-slate-600"> › {hit.headingPath.join(' › ')}</span>}
                </span>
                <span className="text-xs text-slate-600 tabular-nums">
                  vector rank {hit.vectorRank ?? '—'} · text rank {hit.textRank ?? '—'} · score {hit.score.toFixed(4)}
                  {hit.similarity !== null ? ` · similarity ${hit.similarity.toFixed(3)}` : ''}
                </span>
              </div>
              <p className="mt-2 whitespace-pre-wrap text-sm text-slate-700">{hit.text}</p>
            </li>
          ))}
        </ol>
      )}
      {search.data && (
        <p className="text-xs text-slate-500">
          {search.data.strategy === 'exact' ? 'Exact vector scan' : "The workspace's own HNSW index"} over {search.data.workspaceChunks} chunks in this workspace.
        </p>
      )}
    </div>
  );
}
