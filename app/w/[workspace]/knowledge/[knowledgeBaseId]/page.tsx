// One knowledge base: add documents (upload with progress per file, paste, URL),
// the documents table with ingestion status, a search box showing fused results
// with their vector and text ranks, and the model and deletion settings.
import { AddTextForm, AddUrlForm } from '@/components/knowledge/add-text-form';
import { DocumentsTable } from '@/components/knowledge/documents-table';
import { KnowledgeBaseSettings } from '@/components/knowledge/knowledge-base-settings';
import { KnowledgeSearchBox } from '@/components/knowledge/knowledge-search-box';
import { UploadDocuments } from '@/components/knowledge/upload-documents';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/workspace/page-header';
import { knowledgeBasePageTitle, resolveKnowledgeBase } from '@/components/knowledge/resolve-knowledge-base';
import { roleHasScope } from '@/server/tenancy/roles';
import { canonicalWorkspacePath } from '@/components/workspace/resolve-workspace';

type Params = { workspace: string; knowledgeBaseId: string };

export async function generateMetadata({ params }: { params: Promise<Params> }) {
  const { workspace, knowledgeBaseId } = await params;
  return { title: await knowledgeBasePageTitle(workspace, knowledgeBaseId) };
}

export default async function KnowledgeBasePage({ params }: { params: Promise<Params> }) {
  const { workspace: slug, knowledgeBaseId } = await params;
  canonicalWorkspacePath(slug, `/knowledge/${knowledgeBaseId}`);
  const { caller, workspace, detail } = await resolveKnowledgeBase(slug, knowledgeBaseId);
  const models = await caller.knowledge.models({ workspaceId: workspace.id });
  const canWrite = roleHasScope(workspace.role, 'knowledge:write');
  const base = detail.knowledgeBase;
  return (
    <>
      <PageHeader
        title={base.name}
        description={`${base.description ? `${base.description} · ` : ''}${base.embeddingModel} (${base.dimension} dimensions) · ${base.chunkCount} chunks`}
      />
      <div className="space-y-6">
        {canWrite && (
          <div className="grid gap-6 lg:grid-cols-3">
            <Card title="Upload files">
              <UploadDocuments workspaceId={workspace.id} knowledgeBaseId={base.id} />
            </Card>
            <Card title="Paste text">
              <AddTextForm workspaceId={workspace.id} knowledgeBaseId={base.id} />
            </Card>
            <Card title="Add a web page" description="Fetched through the workspace's egress guard; private addresses need an operator's grant.">
              <AddUrlForm workspaceId={workspace.id} knowledgeBaseId={base.id} />
            </Card>
          </div>
        )}
        <Card title="Documents">
          <DocumentsTable workspaceId={workspace.id} knowledgeBaseId={base.id} initial={detail} canWrite={canWrite} />
        </Card>
        <Card title="Search" description="Hybrid retrieval, as agents see it: vector similarity and full-text search fused by reciprocal rank.">
          <KnowledgeSearchBox workspaceId={workspace.id} knowledgeBaseId={base.id} />
        </Card>
        {canWrite && (
          <Card title="Settings">
            <KnowledgeBaseSettings workspaceId={workspace.id} slug={slug} knowledgeBaseId={base.id} name={base.name} embeddingModel={base.embeddingModel} models={models} />
          </Card>
        )}
      </div>
    </>
  );
}
