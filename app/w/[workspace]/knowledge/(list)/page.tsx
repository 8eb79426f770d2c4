// Knowledge bases: the workspace's collections of documents that agents search,
// with their model and counts. Members create them; viewers read.
import Link from 'next/link';
import { CreateKnowledgeBaseForm } from '@/components/knowledge/create-knowledge-base-form';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/workspace/page-header';
import { canonicalWorkspacePath, resolveWorkspace, workspaceTitle } from '@/components/workspace/resolve-workspace';
import { roleHasScope } from '@/server/tenancy/roles';

export async function generateMetadata({ params }: { params: Promise<{ workspace: string }> }) {
  return workspaceTitle('Knowledge', (await params).workspace);
}

export default async function KnowledgePage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  canonicalWorkspacePath(slug, '/knowledge');
  const { caller, workspace } = await resolveWorkspace(slug);
  const [bases, models] = await Promise.all([caller.knowledge.list({ workspaceId: workspace.id }), caller.knowledge.models({ workspaceId: workspace.id })]);
  const canWrite = roleHasScope(workspace.role, 'knowledge:write');
  return (
    <>
      <PageHeader title="Knowledge" description="Documents your agents search and cite: upload files, paste text or add web pages." />
      <div className="space-y-6">
        <Card title={`Knowledge bases (${bases.length})`}>
          {bases.length === 0 ? (
            <EmptyState title="No knowledge bases yet">{canWrite ? 'Create one below, then add documents to it.' : 'Members can create them.'}</EmptyState>
          ) : (
            <ul className="divide-y divide-slate-100">
              {bases.map((b) => (
                <li key={b.id} className="flex flex-wrap items-baseline justify-between gap-2 py-3">
                  <span>
                    <Link href={`/w/${slug}/knowledge/${b.id}`} className="font-medium text-accent-700 hover:underline">
                      {b.name}
                    </Link>
                    {b.description && <span className="block text-sm text-slate-600">{b.description}</span>}
                  </span>
                  <span className="text-sm text-slate-600">
                    {b.readyCount}/{b.documentCount} documents ready · {b.chunkCount} chunks · <span className="font-mono text-xs">{b.embeddingModel}</span>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        {canWrite ? (
          <Card title="New knowledge base" description="New knowledge bases embed with the built-in semantic model unless you choose another.">
            <CreateKnowledgeBaseForm workspaceId={workspace.id} slug={slug} models={models} />
          </Card>
        ) : (
          <Alert tone="info">Viewers can read and search knowledge bases; members and above add documents.</Alert>
        )}
      </div>
    </>
  );
}
