// The audit log as CSV for the filter in the query string (workspaceId, actor,
// action, from, to): admins and owners only (the audit procedures' scope), the
// export itself recorded in the log, then streamed page by page — each page its
// own short transaction, so a slow download never holds one open. Cells are
// formula-injection safe (server/observability/audit-csv.ts).
import { apiFailure, isUuid, issueSentences } from '@/server/http/api-answers';
import { procedureFailure } from '@/server/trpc/route-failure';
import { AUDIT_CSV_HEADER, auditCsvLine, csvLine } from '@/server/observability/audit-csv';
import { auditFilterSchema } from '@/server/trpc/routers/audit';
import { serverCaller } from '@/server/trpc/server-caller';

export const dynamic = 'force-dynamic';

const PAGE = 500;

export async function GET(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const workspaceId = params.get('workspaceId');
  if (!workspaceId) return apiFailure(400, 'Say which workspace to export the audit log of (workspaceId).');
  if (!isUuid(workspaceId)) return apiFailure(404, 'Workspace not found');
  const filterInput = Object.fromEntries(['actor', 'action', 'from', 'to'].flatMap((k) => (params.get(k) ? [[k, params.get(k)]] : [])));
  const parsed = auditFilterSchema.safeParse(filterInput);
  if (!parsed.success) return apiFailure(400, issueSentences(parsed.error));
  const filter = parsed.data;
  const caller = await serverCaller();
  let first: Awaited<ReturnType<typeof caller.audit.list>>;
  try {
    await caller.audit.recordCsvExport({ workspaceId, filter });
    first = await caller.audit.list({ workspaceId, filter, limit: PAGE });
  } catch (error) {
    return procedureFailure(error, 'The export failed. Try again.');
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
