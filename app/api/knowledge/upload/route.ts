// Uploading one file to a knowledge base: a multipart form (workspaceId,
// knowledgeBaseId, file) under its own body cap (server/http/body-limits.ts),
// handed to the knowledge.addUpload procedure, so the session, workspace, role and
// file checks are the same as over tRPC. Answers the queued document or a clean 4xx
// (429 with Retry-After over the API request limit; 429 when knowledge storage is full).
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPCError } from '@trpc/server';
import { apiFailure as failure, failureAnswer, isUuid } from '@/server/http/api-answers';
import { textSchema } from '@/server/trpc/schemas';
import { serverCaller } from '@/server/trpc/server-caller';

export const dynamic = 'force-dynamic';

/** The file's name becomes the document's name: refused when it holds NUL, control or text-direction characters. */
const fileNameSchema = textSchema({ label: 'File name', max: 300, requiredMessage: 'Choose a file to upload.' });
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
  const fileName = fileNameSchema.safeParse(file.name);
  if (!fileName.success) return failure(400, fileName.error.issues[0]!.message);
  try {
    const caller = await serverCaller({ apiRequest: true });
    const document = await caller.knowledge.addUpload({
      workspaceId,
      knowledgeBaseId,
      fileName: fileName.data,
      contentType: CONTROL.test(file.type) ? '' : file.type.slice(0, 200),
      contentBase64: Buffer.from(await file.arrayBuffer()).toString('base64'),
    });
    return Response.json({ document }, { status: 201, headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    const status = error instanceof TRPCError ? getHTTPStatusCodeFromError(error) : 500;
    return failureAnswer({ status, message: error instanceof Error ? error.message : '', cause: error instanceof TRPCError ? error.cause : undefined }, 'The upload failed. Try again.');
  }
}
