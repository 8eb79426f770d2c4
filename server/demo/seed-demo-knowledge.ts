// The demo workspaces' knowledge base: a few pages of product documentation shipped
// in the repo (server/demo/knowledge/), queued for the ingestion worker with the
// default semantic model. Acme and Globex get different documents, so the same
// question asked in Globex never cites Acme's passages.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { withWorkspace } from '../db/with-workspace';
import { createKnowledgeBase } from '../knowledge/knowledge-bases';
import { addPastedDocument } from '../knowledge/knowledge-documents';
import type { WorkspaceRole } from '../tenancy/roles';

const DEMO_DOCUMENTS: Record<string, { base: string; file: string; title: string }> = {
  Acme: { base: 'Product documentation', file: 'acme-product-guide.md', title: 'Rocket Skates product guide' },
  Globex: { base: 'Service handbook', file: 'globex-service-handbook.md', title: 'Cloud backup handbook' },
};

/** Creates the workspace's demo knowledge base and returns its id (null for an unknown company). */
export async function seedDemoKnowledge(workspaceId: string, ownerId: string, company: string): Promise<string | null> {
  const demo = DEMO_DOCUMENTS[company];
  if (!demo) return null;
  const text = await readFile(path.join(import.meta.dirname, 'knowledge', demo.file), 'utf8');
  const actor = { userId: ownerId, workspaceId, role: 'owner' as WorkspaceRole };
  return withWorkspace(workspaceId, async (tx) => {
    const base = await createKnowledgeBase(tx, actor, { name: demo.base, description: `${company}'s documentation for the support assistant` });
    await addPastedDocument(tx, actor, base.id, { name: demo.title, text });
    return base.id;
  });
}
