// Downloads a finished workspace export (.tar.gz): owners only, through the
// lifecycle.downloadExport procedure, so the session, role and workspace checks
// are the same as over tRPC, and each download is audited.
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPCError } from '@trpc/server';
import { serverCaller } from '@/server/trpc/server-caller';

export const dynamic = 'force-dynamic';

function failure(status: number, message: string): Response {
  return Response.json({ error: { message } }, { status, headers: { 'cache-control': 'no-store' } });
}

export async function GET(request: Request, { params }: { params: Promise<{ exportId: string }> }): Promise<Response> {
  const { exportId } = await params;
  const workspaceId = new URL(request.url).searchParams.get('workspaceId') ?? '';
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
    if (error instanceof TRPCError) {
      const status = getHTTPStatusCodeFromError(error);
      return failure(status, status >= 500 ? 'The download failed. Try again.' : error.message);
    }
    return failure(500, 'The download failed. Try again.');
  }
}
