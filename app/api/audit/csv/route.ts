// The audit log as CSV for the filter in the query string (workspaceId, actor,
// action, from, to): admins and owners only (the audit procedures' scope), the
// export itself recorded in the log, then streamed page by page — each page its
// own short transaction, so a slow download never holds one open. Cells are
// formula-injection safe (server/observability/audit-csv.ts).
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPCError } from '@trpc/server';
import { apiFailure, failureAnswer, isUuid } from '@/server/http/api-answers';
import { AUDIT_CSV_HEADER, auditCsvLine, csvLine } from '@/server/observability/audit-csv';
import { auditFilterSchema } from '@/server/trpc/routers/audit';
import { serverCaller } from '@/server/trpc/server-caller';

export const dynamic = 'force-dynamic';

const PAGE = 500;

function fromError(error: unknown): Response {
  const status = error instanceof TRPCError ? getHTTPStatusCodeFromError(error) : 500;
  return failureAnswer({ status, message: error instanceof Error ? error.message : '', cause: error instanceof TRPCError ? error.cause : undefined }, 'The export failed. Try again.');
}

export async function GET(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const workspaceId = params.get('workspaceId');
  if (!workspaceId) return apiFailure(400, 'Say which workspace to export the audit log of (workspaceId).');
  if (!isUuid(workspaceId)) return apiFailure(404, 'Workspace not found');
  const filterInput = Object.fromEntries(['actor', 'action', 'from', 'to'].flatMap((k) => (params.get(k) ? [[k, params.get(k)]] : [])));
  const parsed = auditFilterSchema.safeParse(filterInput);
  if (!parsed.success) return apiFailure(400, [...new Set(parsed.error.issues.map((i) => i.message))].join('; '));
  const filter = parsed.data;
  const caller = await serverCaller();
  let first: Awaited<ReturnType<typeof caller.audit.list>>;
  try {
    await caller.audit.recordCsvExport({ workspaceId, filter });
    first = await caller.audit.list({ workspaceId, filter, limit: PAGE });
  } catch (error) {
    return fromError(error);
  }
  const encoder = new TextEncoder();
  let page: typeof first | null = first;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`\uFEFF${csvLine(AUDIT_CSV_HEADER)}`));
    },
    async pull(controller) {
      if (!page) return controller.close();
      controller.enqueue(encoder.encode(page.events.map(auditCsvLine).join('')));
      const cursor = page.nextCursor;
      page = null;
      if (cursor === null) return controller.close();
      try {
        page = await caller.audit.list({ workspaceId, filter, before: cursor, limit: PAGE });
      } catch (error) {
        controller.error(error);
      }
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="audit-log-${day}.csv"`,
      'cache-control': 'no-store',
    },
  });
}
