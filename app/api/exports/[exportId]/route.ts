// Downloads a finished workspace export (.tar.gz): owners only, through the
// lifecycle.downloadExport procedure, so the session, role and workspace checks
// are the same as over tRPC, and each download is audited.
import { apiFailure, isUuid } from '@/server/http/api-answers';
import { procedureFailure } from '@/server/trpc/route-failure';
import { serverCaller } from '@/server/trpc/server-caller';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ exportId: string }> }): Promise<Response> {
  const { exportId } = await params;
  const workspaceId = new URL(request.url).searchParams.get('workspaceId');
  if (!workspaceId) return apiFailure(400, 'Say which workspace the export belongs to (workspaceId).');
  if (!isUuid(workspaceId)) return apiFailure(404, 'Workspace not found');
  if (!isUuid(exportId)) return apiFailure(404, 'Export not found');
  try {
    const caller = await serverCaller();
    const { fileName, archiveBase64 } = await caller.lifecycle.downloadExport({ workspaceId, exportId });
    const archive = Buffer.from(archiveBase64, 'base64');
    return new Response(new Uint8Array(archive), {
      headers: {
        'content-type': 'application/gzip',
        'content-length': String(archive.length),
        'content-disposition': `attachment; filename="${fileName.replace(/[^a-z0-9._-]/gi, '_')}"`,
        'cache-control': 'no-store',
      },
    });
  } catch (error) {
    return procedureFailure(error, 'The download failed. Try again.');
  }
}
