// Resolves /w/<slug>/knowledge/<knowledgeBaseId> once per request (the layout, the
// title and the page share it): a base of another workspace, or a malformed id, is
// the not-found page, answered before any streaming so the status is a real 404.
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { readOrNull, resolveWorkspace } from '../workspace/resolve-workspace';

/** The knowledge base with its documents, or null when it is not in this workspace (or the id is malformed). */
const findKnowledgeBase = cache(async (slug: string, knowledgeBaseId: string) => {
  const { caller, workspace } = await resolveWorkspace(slug);
  const detail = await readOrNull(() => caller.knowledge.get({ workspaceId: workspace.id, knowledgeBaseId }));
  return detail && { caller, workspace, detail };
});

export const resolveKnowledgeBase = async (slug: string, knowledgeBaseId: string) => (await findKnowledgeBase(slug, knowledgeBaseId)) ?? notFound();

/** The page title ("Handbook · Acme"), or the 404's title when the layout answers not found. */
export async function knowledgeBasePageTitle(slug: string, knowledgeBaseId: string): Promise<string> {
  const found = await findKnowledgeBase(slug, knowledgeBaseId);
  return found ? `${found.detail.knowledgeBase.name} · ${found.workspace.name}` : 'Page not found';
}
