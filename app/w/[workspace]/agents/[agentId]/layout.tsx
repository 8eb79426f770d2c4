// Checks the agent exists in this workspace before the page streams, so a wrong id is a 404.
import type { ReactNode } from 'react';
import { resolveAgent } from '@/components/agents/resolve-agent';

export default async function AgentLayout({ children, params }: { children: ReactNode; params: Promise<{ workspace: string; agentId: string }> }) {
  const { workspace, agentId } = await params;
  await resolveAgent(workspace, agentId);
  return children;
}
