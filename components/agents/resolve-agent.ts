// Resolves /w/<slug>/agents/<agentId> once per request (the layout and the page
// share it): an agent that is not in this workspace, or a malformed id, is the
// not-found page, answered before any streaming so the status is a real 404.
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { readOrNull, resolveWorkspace } from '../workspace/resolve-workspace';

/** The agent, or null when it is not in this workspace (or the id is malformed). */
const findAgent = cache(async (slug: string, agentId: string) => {
  const { caller, workspace } = await resolveWorkspace(slug);
  const agent = await readOrNull(() => caller.agents.get({ workspaceId: workspace.id, agentId }));
  return agent && { caller, workspace, agent };
});

export const resolveAgent = async (slug: string, agentId: string) => (await findAgent(slug, agentId)) ?? notFound();

/** The page title ("Support bot · Acme", or "Playground · Support bot · Acme"), or the 404's title when the layout answers not found. */
export async function agentPageTitle(slug: string, agentId: string, section?: string): Promise<string> {
  const found = await findAgent(slug, agentId);
  if (!found) return 'Page not found';
  return [section, found.agent.name, found.workspace.name].filter(Boolean).join(' · ');
}
