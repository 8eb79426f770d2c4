// Resolves /w/<slug>/runs/<runId> once per request (the layout, the title and the
// page share it): a run of another workspace, or a malformed id, is the not-found
// page, answered before any streaming so the status is a real 404.
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { readOrNull, resolveWorkspace } from '../workspace/resolve-workspace';

/** The run, or null when it is not in this workspace (or the id is malformed). */
const findRun = cache(async (slug: string, runId: string) => {
  const { caller, workspace } = await resolveWorkspace(slug);
  const run = await readOrNull(() => caller.runs.get({ workspaceId: workspace.id, runId }));
  return run && { caller, workspace, run };
});

export const resolveRun = async (slug: string, runId: string) => (await findRun(slug, runId)) ?? notFound();

/** The page title ("Run of Support bot · Acme"), or the 404's title when the layout answers not found. */
export async function runPageTitle(slug: string, runId: string): Promise<string> {
  const found = await findRun(slug, runId);
  return found ? `Run of ${found.run.agentName} · ${found.workspace.name}` : 'Page not found';
}
