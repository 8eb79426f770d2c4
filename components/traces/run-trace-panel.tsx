'use client';
// The trace of a run that may still be going (the playground): read through
// traces.forRun and read again whenever `refreshKey` changes — the caller bumps
// it as each step or status event arrives, so the waterfall fills in with the run.
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { TraceWaterfall, TraceWaterfallLoading } from './trace-waterfall';

export function RunTracePanel({ workspaceId, runId, refreshKey }: { workspaceId: string; runId: string; refreshKey: string }) {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.traces.forRun.queryOptions({ workspaceId, runId }), staleTime: 0 });
  const { refetch } = query;
  useEffect(() => {
    void refetch();
  }, [refreshKey, refetch]);
  if (query.isPending) return <TraceWaterfallLoading />;
  if (query.isError) return <Alert>The trace could not be loaded: {query.error.message}</Alert>;
  return <TraceWaterfall trace={query.data} compact />;
}
