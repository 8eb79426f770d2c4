// Checks the run exists in this workspace before the page streams, so a wrong id is a 404.
import type { ReactNode } from 'react';
import { resolveRun } from '@/components/runs/resolve-run';

export default async function RunLayout({ children, params }: { children: ReactNode; params: Promise<{ workspace: string; runId: string }> }) {
  const { workspace, runId } = await params;
  await resolveRun(workspace, runId);
  return children;
}
