// Data lifecycle procedures: retention settings (everyone reads, managers
// change), workspace exports (owners request, follow and download them).
// Deletion is workspaces.delete.
import { z } from 'zod';
import { retentionOf, setRetention } from '../../lifecycle/retention-settings';
import { exportArchive, exportsOfWorkspace, requestExport } from '../../lifecycle/workspace-exports';
import { router, scopedProcedure } from '../init';
import { uuidSchema } from '../schemas';

const days = z
  .number({ error: 'Enter a whole number of days' })
  .int('Enter a whole number of days')
  .min(1, 'Keep data at least 1 day')
  .max(3650, 'Keep data at most 3650 days (10 years)')
  .nullable();

const retentionSchema = z.object({ runsDays: days, tracesDays: days, messagesDays: days, memoryDays: days });

const retentionViewSchema = retentionSchema.extend({
  lastSweepAt: z.date().nullable(),
  lastSweepDeleted: z.record(z.string(), z.number()).nullable(),
});

const exportSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  tablesTotal: z.number().nullable(),
  tablesDone: z.number(),
  rowsWritten: z.number(),
  archiveBytes: z.number().nullable(),
  error: z.string().nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});

export const lifecycleRouter = router({
  retention: scopedProcedure('workspace:read')
    .output(retentionViewSchema)
    .query(({ ctx }) => retentionOf(ctx.db, ctx.actor.workspaceId)),

  setRetention: scopedProcedure('workspace:update')
    .input(retentionSchema)
    .output(retentionViewSchema)
    .mutation(({ ctx, input }) =>
      setRetention(ctx.db, ctx.actor, { runsDays: input.runsDays, tracesDays: input.tracesDays, messagesDays: input.messagesDays, memoryDays: input.memoryDays }),
    ),

  exports: scopedProcedure('data:export')
    .output(z.array(exportSchema))
    .query(({ ctx }) => exportsOfWorkspace(ctx.db, ctx.actor.workspaceId)),

  requestExport: scopedProcedure('data:export')
    .output(exportSchema)
    .mutation(({ ctx }) => requestExport(ctx.db, ctx.actor)),

  /** The finished archive, base64; the download route (app/api/exports/[exportId]) serves it as a file. */
  downloadExport: scopedProcedure('data:export')
    .input(z.object({ exportId: uuidSchema('Export') }))
    .output(z.object({ fileName: z.string(), archiveBase64: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const { fileName, archive } = await exportArchive(ctx.db, ctx.actor, input.exportId);
      return { fileName, archiveBase64: archive.toString('base64') };
    }),
});
