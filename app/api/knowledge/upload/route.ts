// Uploading one file to a knowledge base: a multipart form (workspaceId,
// knowledgeBaseId, file) under its own body cap (server/http/body-limits.ts),
// handed to the knowledge.addUpload procedure, so the session, workspace, role and
// file checks are the same as over tRPC. Answers the queued document or a clean 4xx
// (429 with Retry-After over the API request limit; 429 when knowledge storage is full).
import { apiFailure as failure, isUuid } from '@/server/http/api-answers';
import { procedureFailure } from '@/server/trpc/route-failure';
import { serverCaller } from '@/server/trpc/server-caller';

export const dynamic = 'force-dynamic';

/** A declared type with control characters is no type at all: the content is sniffed instead. */
const CONTROL = /\p{Cc}/u;

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
  if (!isUuid(workspaceId)) return failure(404, 'Workspace not found');
  if (!isUuid(knowledgeBaseId)) return failure(404, 'Knowledge base not found');
  try {
    const caller = await serverCaller({ apiRequest: true });
    const document = await caller.knowledge.addUpload({
      workspaceId,
      knowledgeBaseId,
      // Checked as a name by the procedure (NUL, control and text-direction characters refused).
      fileName: file.name,
      contentType: CONTROL.test(file.type) ? '' : file.type.slice(0, 200),
      contentBase64: Buffer.from(await file.arrayBuffer()).toString('base64'),
    });
    return Response.json({ document }, { status: 201, headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return procedureFailure(error, 'The upload failed. Try again.');
  }
}
