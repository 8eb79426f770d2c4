// Only roles that may create agents reach the new-agent page; others get a 404 before it streams.
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { resolveWorkspace } from '@/components/workspace/resolve-workspace';
import { roleHasScope } from '@/server/tenancy/roles';

export default async function NewAgentLayout({ children, params }: { children: ReactNode; params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const { workspace } = await resolveWorkspace(slug);
  if (!roleHasScope(workspace.role, 'agents:write')) notFound();
  return children;
}
