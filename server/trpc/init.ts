// tRPC set-up and the named procedure builders. Access is in the name:
//   publicProcedure     anyone
//   authedProcedure     a signed-in user
//   workspaceProcedure  any member of input.workspaceId; the handler runs inside
//                       withWorkspace() and gets ctx.db bound to it. Non-members
//                       get NOT_FOUND, so other workspaces' ids never leak.
//   scopedProcedure(s)  a member whose role holds scope s (server/tenancy/roles.ts);
//                       other members get FORBIDDEN, non-members still NOT_FOUND
//   operatorProcedure   the platform operator
// A workspace procedure called over HTTP first counts against the workspace's API
// requests per minute (countApiRequest below).
// The scope lives in the procedure's meta, so tests can read every procedure's
// requirement from the router and prove it is enforced.
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { z, ZodError } from 'zod';
import { DomainError, LimitExceeded } from '../domain-errors';
import { takeApiRequest } from '../governance/rate-limits';
import { withWorkspace } from '../db/with-workspace';
import { logger } from '../observability/logger';
import { membershipOfUser } from '../tenancy/members';
import { roleHasScope, type Scope } from '../tenancy/roles';
import { enterWorkspaceContext, runWithTenantContext } from '../tenancy/tenant-context';
import { tenantContextOf, type Context } from './context';
import { fieldError, toTRPCError } from './error-mapping';
import { unsafeStringIn, uuidSchema } from './schemas';

export type Access = 'public' | 'authed' | 'workspace' | 'operator';
export type Meta = { access: Access; scope?: Scope };

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const zodError = error.code === 'BAD_REQUEST' && error.cause instanceof ZodError ? error.cause : null;
      const fieldErrors = zodError ? z.flattenError(zodError).fieldErrors : null;
      const retryAfterSeconds = error.cause instanceof LimitExceeded ? (error.cause.retryAfterSeconds ?? null) : null;
      return {
        ...shape,
        message: clientMessage(error, zodError),
        data: { code: shape.data.code, httpStatus: shape.data.httpStatus, fieldErrors, retryAfterSeconds },
      };
    },
  });

/**
 * The message a client sees. Never stack traces or internal text: zod's field
 * messages (ours, written for people) and domain errors pass through; a request
 * tRPC could not read (malformed JSON, a null body, superjson meta naming an
 * unknown class, input nested too deep) is just "Invalid request body", whatever
 * the parser said; server faults are "Something went wrong on our side".
 */
function clientMessage(error: TRPCError, zodError: ZodError | null): string {
  if (zodError) {
    // An issue with no path is the input as a whole being the wrong shape (an array, a string…).
    if (zodError.issues.some((i) => i.path.length === 0)) return INVALID_BODY;
    // A domain refusal about one field (error-mapping.ts) keeps its own sentence.
    if (zodError.issues.length === 1 && error.message === zodError.issues[0]!.message) return error.message;
    return zodError.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  }
  if (error.code === 'INTERNAL_SERVER_ERROR') return 'Something went wrong on our side';
  // tRPC wraps whatever the body parser or transformer threw; messages of our own carry no foreign cause.
  const foreignCause = error.cause !== undefined && !(error.cause instanceof DomainError);
  if ((error.code === 'BAD_REQUEST' || error.code === 'PARSE_ERROR') && foreignCause) return INVALID_BODY;
  return error.message;
}

export const INVALID_BODY = 'Invalid request body';

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

/**
 * Runs every call inside its TenantContext and maps domain errors once. Before
 * anything else, input holding a NUL or a lone surrogate anywhere is refused as a
 * field error (Postgres cannot store the first and would garble the second), so
 * no procedure depends on each of its string fields remembering to check.
 */
const base = t.procedure.use(async ({ ctx, next, path, getRawInput }) => {
  // An unreadable body is left to tRPC's own parser, which answers it as "Invalid request body".
  const unsafe = unsafeStringIn(await getRawInput().catch(() => undefined));
  if (unsafe) throw fieldError(unsafe.path, unsafe.message);
  const result = await runWithTenantContext(tenantContextOf(ctx), () => next());
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof DomainError) throw toTRPCError(cause);
    if (result.error.code === 'INTERNAL_SERVER_ERROR') {
      logger.error({ path, requestId: ctx.requestId, err: cause ?? result.error }, 'procedure failed');
    }
  }
  return result;
});

export const publicProcedure = base.meta({ access: 'public' });

export const authedProcedure = base.meta({ access: 'authed' }).use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue' });
  return next({ ctx: { user: ctx.user } });
});

export const operatorProcedure = authedProcedure.meta({ access: 'operator' }).use(({ ctx, next }) => {
  if (!ctx.user.isOperator) throw new TRPCError({ code: 'NOT_FOUND', message: 'Not found' });
  return next();
});

export const workspaceInput = z.object({ workspaceId: uuidSchema('Workspace') });

export const workspaceProcedure = authedProcedure
  .meta({ access: 'workspace' })
  .input(workspaceInput)
  .use(async ({ ctx, input, meta, next }) => {
    const { workspaceId } = input;
    await countApiRequest(ctx, workspaceId);
    const afterCommitTasks: AfterCommitTask[] = [];
    const outcome = await withWorkspace(workspaceId, async (db) => {
      const membership = await membershipOfUser(db, workspaceId, ctx.user.id);
      if (!membership) throw new TRPCError({ code: 'NOT_FOUND', message: 'Workspace not found' });
      if (meta?.scope && !roleHasScope(membership.role, meta.scope)) {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'Your role does not allow this' });
      }
      enterWorkspaceContext(workspaceId, membership.role);
      const actor = { userId: ctx.user.id, workspaceId, role: membership.role };
      const afterCommit = (task: AfterCommitTask) => void afterCommitTasks.push(task);
      const result = await next({ ctx: { db, actor, afterCommit } });
      // Throwing rolls the transaction back; the error itself reaches the caller unchanged.
      if (!result.ok) throw result.error;
      return result;
    });
    await runAfterCommit(afterCommitTasks);
    return outcome;
  });

/**
 * A call over HTTP counts against the workspace's API requests per minute, in its
 * own statement before the workspace transaction opens (never inside it: the
 * embedded database would wait for that transaction). Only a member's call counts,
 * so naming another workspace's id spends nothing of its limit; over the limit
 * the call is refused with TOO_MANY_REQUESTS (HTTP 429 with Retry-After).
 */
async function countApiRequest(ctx: Context, workspaceId: string): Promise<void> {
  if (!ctx.apiRequest || !ctx.user) return;
  // A refusal is LimitExceeded, mapped like every domain error by the base procedure.
  await takeApiRequest(workspaceId, ctx.user.id);
}

/**
 * Work that must not run inside the workspace transaction (mail, calls to other
 * services): queued by a handler with ctx.afterCommit(), run once the
 * transaction has committed and before the response. A failed task is logged;
 * the committed change stands.
 */
type AfterCommitTask = () => Promise<unknown>;

async function runAfterCommit(tasks: AfterCommitTask[]): Promise<void> {
  for (const task of tasks) {
    await task().catch((err: unknown) => logger.error({ err }, 'after-commit task failed'));
  }
}

/**
 * A workspace procedure for work that calls out (model providers, DNS): access
 * is checked in a short transaction that commits first, and the handler runs
 * outside any transaction, with no ctx.db: domain code opens its own short ones.
 */
export function scopedOutboundProcedure(scope: Scope) {
  return authedProcedure
    .meta({ access: 'workspace', scope })
    .input(workspaceInput)
    .use(async ({ ctx, input, next }) => {
      const { workspaceId } = input;
      await countApiRequest(ctx, workspaceId);
      const role = await withWorkspace(workspaceId, async (db) => {
        const membership = await membershipOfUser(db, workspaceId, ctx.user.id);
        if (!membership) throw new TRPCError({ code: 'NOT_FOUND', message: 'Workspace not found' });
        if (!roleHasScope(membership.role, scope)) throw new TRPCError({ code: 'FORBIDDEN', message: 'Your role does not allow this' });
        return membership.role;
      });
      enterWorkspaceContext(workspaceId, role);
      return next({ ctx: { actor: { userId: ctx.user.id, workspaceId, role } } });
    });
}

/** A workspace procedure open only to roles that hold `scope`. */
export function scopedProcedure(scope: Scope) {
  return workspaceProcedure.meta({ access: 'workspace', scope });
}
