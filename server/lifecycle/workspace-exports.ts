// Workspace exports: an owner requests one (audited), a worker builds it in the
// background — every tenant table's rows of the workspace as NDJSON, one file
// per table plus manifest.json, in one .tar.gz — reporting progress per table,
// each table read in short transactions; owners download the finished archive
// (each download audited). Secret values are never included (export-tables.ts).
import { Conflict, NotFound } from '../domain-errors';
import { withWorkspace, withWorkspaceEndUsers, withoutTenant, type Tx } from '../db/with-workspace';
import { recordAudit } from '../observability/audit';
import { exportTableRows, exportTables, type ExportTable } from './export-tables';
import { tarGz, type ArchiveFile } from './tar-archive';

export type ExportView = {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  tablesTotal: number | null;
  tablesDone: number;
  rowsWritten: number;
  archiveBytes: number | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

const EXPORT_VIEW = {
  id: true,
  status: true,
  tablesTotal: true,
  tablesDone: true,
  rowsWritten: true,
  archiveBytes: true,
  error: true,
  createdAt: true,
  finishedAt: true,
} as const;

const PAGE_ROWS = 2000;
/** Exports in progress at once per workspace. */
const MAX_PENDING = 1;

type Actor = { userId: string; workspaceId: string };

function view(row: { status: string; rowsWritten: bigint } & Omit<ExportView, 'status' | 'rowsWritten'>): ExportView {
  return { ...row, status: row.status as ExportView['status'], rowsWritten: Number(row.rowsWritten) };
}

export async function requestExport(tx: Tx, actor: Actor): Promise<ExportView> {
  const pending = await tx.workspaceExport.count({ where: { workspaceId: actor.workspaceId, status: { in: ['queued', 'running'] } } });
  if (pending >= MAX_PENDING) throw new Conflict('An export is already being built; wait for it to finish');
  const row = await tx.workspaceExport.create({ data: { workspaceId: actor.workspaceId, requestedBy: actor.userId }, select: EXPORT_VIEW });
  await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'export.requested', target: row.id });
  return view(row);
}

export async function exportsOfWorkspace(tx: Tx, workspaceId: string, limit = 10): Promise<ExportView[]> {
  const rows = await tx.workspaceExport.findMany({ where: { workspaceId }, orderBy: { createdAt: 'desc' }, take: limit, select: EXPORT_VIEW });
  return rows.map(view);
}

/** The finished archive for download; audited. */
export async function exportArchive(tx: Tx, actor: Actor, exportId: string): Promise<{ fileName: string; archive: Buffer }> {
  const row = await tx.workspaceExport.findFirst({
    where: { id: exportId, workspaceId: actor.workspaceId },
    select: { status: true, archive: true, createdAt: true, workspace: { select: { slug: true } } },
  });
  if (!row) throw new NotFound('Export not found');
  if (row.status !== 'done' || !row.archive) throw new Conflict('This export is not ready yet');
  await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'export.downloaded', target: exportId });
  const stamp = row.createdAt.toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return { fileName: `${row.workspace.slug}-export-${stamp}.tar.gz`, archive: Buffer.from(row.archive) };
}

export type ExportJob = { id: string; workspaceId: string };

export async function claimNextExport(workerId: string, leaseSeconds: number): Promise<ExportJob | null> {
  const rows = await withoutTenant((tx) =>
    tx.$queryRaw<{ id: string; workspace_id: string }[]>`
      SELECT id::text, workspace_id::text FROM claim_next_export(${workerId}, ${leaseSeconds}::int)`,
  );
  const row = rows[0];
  return row ? { id: row.id, workspaceId: row.workspace_id } : null;
}

async function readTable(job: ExportJob, table: ExportTable): Promise<{ file: ArchiveFile; rows: number }> {
  const lines: string[] = [];
  for (let offset = 0; ; offset += PAGE_ROWS) {
    // Threads, messages and memory items need the every-end-user view (migration 0017).
    const page = await withWorkspaceEndUsers(job.workspaceId, (tx) => exportTableRows(tx, table, job.workspaceId, offset, PAGE_ROWS));
    lines.push(...page);
    if (page.length < PAGE_ROWS) break;
  }
  return { file: { name: `${table.table}.ndjson`, content: Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8') }, rows: lines.length };
}

/** Builds a claimed export, table by table, with progress; marks it done or failed. */
export async function buildExport(job: ExportJob, workerId: string, leaseSeconds: number): Promise<void> {
  try {
    const tables = await withWorkspace(job.workspaceId, (tx) => exportTables(tx));
    await withWorkspace(job.workspaceId, (tx) =>
      tx.workspaceExport.updateMany({ where: { id: job.id, leaseOwner: workerId }, data: { tablesTotal: tables.length } }),
    );
    const files: ArchiveFile[] = [];
    const manifest: { table: string; file: string; rows: number; omittedColumns: string[] }[] = [];
    let rowsWritten = 0;
    for (const [index, table] of tables.entries()) {
      const { file, rows } = await readTable(job, table);
      files.push(file);
      manifest.push({ table: table.table, file: file.name, rows, omittedColumns: table.omitted });
      rowsWritten += rows;
      const { count } = await withWorkspace(job.workspaceId, (tx) =>
        tx.workspaceExport.updateMany({
          where: { id: job.id, leaseOwner: workerId, status: 'running' },
          data: { tablesDone: index + 1, rowsWritten, leaseExpiresAt: new Date(Date.now() + leaseSeconds * 1000) },
        }),
      );
      if (count === 0) return; // another worker took it over after our lease ran out
    }
    const createdAt = new Date();
    const manifestFile = {
      name: 'manifest.json',
      content: Buffer.from(
        JSON.stringify(
          {
            format: 'enclave-workspace-export/1',
            workspaceId: job.workspaceId,
            exportId: job.id,
            createdAt: createdAt.toISOString(),
            note: 'One NDJSON file per table that holds this workspace\'s rows (found in the database catalog). Secret values, wrapped keys and earlier archives are omitted (omittedColumns).',
            tables: manifest,
          },
          null,
          2,
        ),
      ),
    };
    const archive = tarGz([manifestFile, ...files], createdAt);
    await withWorkspace(job.workspaceId, async (tx) => {
      const { count } = await tx.workspaceExport.updateMany({
        where: { id: job.id, leaseOwner: workerId, status: 'running' },
        data: { status: 'done', archive: new Uint8Array(archive), archiveBytes: archive.length, finishedAt: new Date(), leaseOwner: null, leaseExpiresAt: null },
      });
      if (count > 0) {
        await recordAudit(tx, {
          workspaceId: job.workspaceId,
          actorUserId: null,
          action: 'export.completed',
          target: job.id,
          metadata: { tables: tables.length, rows: rowsWritten, bytes: archive.length },
        });
      }
    });
  } catch (error) {
    await withWorkspace(job.workspaceId, (tx) =>
      tx.workspaceExport.updateMany({
        where: { id: job.id, leaseOwner: workerId },
        data: { status: 'failed', error: 'The export could not be built. Request a new one.', finishedAt: new Date(), leaseOwner: null },
      }),
    ).catch(() => undefined);
    throw error;
  }
}
