// Checks the knowledge base exists in this workspace before the page streams, so a wrong id is a 404.
import type { ReactNode } from 'react';
import { resolveKnowledgeBase } from '@/components/knowledge/resolve-knowledge-base';

export default async function KnowledgeBaseLayout({ children, params }: { children: ReactNode; params: Promise<{ workspace: string; knowledgeBaseId: string }> }) {
  const { workspace, knowledgeBaseId } = await params;
  await resolveKnowledgeBase(workspace, knowledgeBaseId);
  return children;
}
