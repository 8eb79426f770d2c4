// Memory browser procedures: a workspace's end users, their threads with messages
// and memory items, and deleting a thread, an item or everything of an end user.
// They run in the explicit admin context (withWorkspaceEndUsers), not ctx.db.
import { z } from 'zod';
import { memoryBrowser } from '../../memory/memory-browser';
import { router, scopedOutboundProcedure } from '../init';

const endUserSchema = z.string().trim().min(1, 'End user not found').max(200, 'End user not found');
const threadIdInput = z.object({ threadId: z.string().uuid('Thread not found') });

const endUserSummarySchema = z.object({ endUserId: z.string(), threadCount: z.number(), memoryCount: z.number(), lastActiveAt: z.date() });
const threadSummarySchema = z.object({
  id: z.string(),
  agentId: z.string(),
  agentName: z.string(),
  title: z.string(),
  summary: z.string(),
  messageCount: z.number(),
  updatedAt: z.date(),
});
const messageSchema = z.object({ position: z.number(), role: z.enum(['user', 'assistant']), content: z.string(), runId: z.string().nullable(), createdAt: z.date() });
const itemSchema = z.object({ id: z.string(), agentId: z.string(), agentName: z.string(), text: z.string(), sourceRunId: z.string().nullable(), createdAt: z.date() });

export const memoryRouter = router({
  endUsers: scopedOutboundProcedure('memory:read')
    .output(z.array(endUserSummarySchema))
    .query(({ ctx }) => memoryBrowser.endUsers(ctx.actor.workspaceId)),

  threads: scopedOutboundProcedure('memory:read')
    .input(z.object({ endUser: endUserSchema }))
    .output(z.array(threadSummarySchema))
    .query(({ ctx, input }) => memoryBrowser.threads(ctx.actor.workspaceId, input.endUser)),

  messages: scopedOutboundProcedure('memory:read')
    .input(threadIdInput)
    .output(z.array(messageSchema))
    .query(({ ctx, input }) => memoryBrowser.messages(ctx.actor.workspaceId, input.threadId)),

  items: scopedOutboundProcedure('memory:read')
    .input(z.object({ endUser: endUserSchema }))
    .output(z.array(itemSchema))
    .query(({ ctx, input }) => memoryBrowser.items(ctx.actor.workspaceId, input.endUser)),

  deleteThread: scopedOutboundProcedure('memory:write')
    .input(threadIdInput)
    .output(z.object({ deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await memoryBrowser.deleteThread(ctx.actor.workspaceId, input.threadId);
      return { deleted: true as const };
    }),

  deleteItem: scopedOutboundProcedure('memory:write')
    .input(z.object({ itemId: z.string().uuid('Memory item not found') }))
    .output(z.object({ deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await memoryBrowser.deleteItem(ctx.actor.workspaceId, input.itemId);
      return { deleted: true as const };
    }),

  /** Forget this end user: threads, messages, memory items and their embeddings. */
  forgetEndUser: scopedOutboundProcedure('memory:write')
    .input(z.object({ endUser: endUserSchema }))
    .output(z.object({ threads: z.number(), messages: z.number(), memoryItems: z.number() }))
    .mutation(({ ctx, input }) => memoryBrowser.forget(ctx.actor.workspaceId, input.endUser)),
});
