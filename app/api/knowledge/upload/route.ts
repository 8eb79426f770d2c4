// Uploading one file to a knowledge base: a multipart form (workspaceId,
// knowledgeBaseId, file) under its own body cap (server/http/body-limits.ts),
// handed to the knowledge.addUpload procedure, so the session, workspace, role and
// file checks are the same as over tRPC. Answers the queued document or a clean 4xx
// (429 with Retry-After over the API request limit; 429 when knowledge storage is full).
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPCError } from '@trpc/server';
import { retryAfterHeaders } from '@/server/http/retry-after';
import { serverCaller } from '@/server/trpc/server-caller';

export const dynamic = 'force-dynamic';

function failure(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { message } }, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

export async function POST(request: Request): Promise<Response> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return failure(400, 'Send the file as multipart/form-data.');
  }
  const file = form.get('file');
  const workspaceId = form.get('workspaceId');
  const knowledgeBaseId = form.get('knowledgeBaseId');
  if (!(file instanceof File)) return failure(400, 'Choose a file to upload.');
  if (typeof workspaceId !== 'string' || typeof knowledgeBaseId !== 'string') return failure(400, 'Say which knowledge base the file is for.');
  try {
    const caller = await serverCaller({ apiRequest: true });
    const document = await caller.knowledge.addUpload({
      workspaceId,
      knowledgeBaseId,
      fileName: file.name.slice(0, 300),
      contentType: file.type.slice(0, 200),
      contentBase64: Buffer.from(await file.arrayBuffer()).toString('base64'),
    });
    return Response.json({ document }, { status: 201, headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    if (error instanceof TRPCError) {
      const status = getHTTPStatusCodeFromError(error);
      return failure(status, status >= 500 ? 'The upload failed. Try again.' : error.message, retryAfterHeaders([error.cause]));
    }
    return failure(500, 'The upload failed. Try again.');
  }
}
