// The one road to tenant data. Each helper opens an interactive transaction,
// switches to the non-owner app role and sets the tenant settings with
// set_config(..., true) — transaction-local, so a pooled connection can never
// carry a tenant into the next request. RLS policies read these settings.
import { NotFound } from '../domain-errors';
import { Prisma } from './generated/client';
import { readPool } from './read-pool';
import { prisma } from './prisma';

export type Tx = Prisma.TransactionClient;

/** The role every request runs as: not a table owner, no BYPASSRLS. */
export const APP_ROLE = 'enclave_app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type TenantSettings = {
  workspaceId?: string;
  endUserId?: string;
  endUserAdmin?: boolean;
  userId?: string;
  inviteTokenHash?: string;
  accounts?: boolean;
  operator?: boolean;
  ingestClaim?: boolean;
};

/** The role and every tenant setting, transaction-local: unset ones are cleared, so nothing is inherited. */
function settingsSql(settings: TenantSettings): Prisma.Sql {
  return Prisma.sql`SELECT set_config('role', ${APP_ROLE}, true),
    set_config('app.workspace_id', ${settings.workspaceId ?? ''}, true),
    set_config('app.end_user_id', ${settings.endUserId ?? ''}, true),
    set_config('app.end_user_admin', ${settings.endUserAdmin ? 'on' : ''}, true),
    set_config('app.user_id', ${settings.userId ?? ''}, true),
    set_config('app.invite_token', ${settings.inviteTokenHash ?? ''}, true),
    set_config('app.accounts', ${settings.accounts ? 'on' : ''}, true),
    set_config('app.run_claim', '', true),
    set_config('app.operator', ${settings.operator ? 'on' : ''}, true),
    set_config('app.ingest_claim', ${settings.ingestClaim ? 'on' : ''}, true)`;
}

async function inAppRole<T>(settings: TenantSettings, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return prisma().$transaction(
    async (tx) => {
      await tx.$queryRaw(settingsSql(settings));
      return fn(tx);
    },
    // The embedded database runs one statement at a time; give queued work room.
    { maxWait: 20_000, timeout: 60_000 },
  );
}

function assertId(id: string, what: string): void {
  // A malformed id is just an id that does not exist.
  if (!UUID.test(id)) throw new NotFound(`${what} not found`);
}

/**
 * Everything scoped to one workspace. Only app.workspace_id is set, so a query
 * that forgets a filter still sees this workspace's rows and nothing else.
 */
export function withWorkspace<T>(workspaceId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  assertId(workspaceId, 'Workspace');
  return inAppRole({ workspaceId }, fn);
}

/**
 * Reads for one workspace in one round trip: a read-only REPEATABLE READ
 * transaction, the same role and settings as withWorkspace(), the statements in
 * order, COMMIT, written at once (pipelined) instead of each waiting for the
 * last. For a hot read path whose statements are known up front (knowledge
 * search); each statement's rows, in order. Any error fails the whole and discards the connection; a write is
 * refused by the read-only transaction.
 */
export async function readInWorkspace(workspaceId: string, statements: readonly Prisma.Sql[]): Promise<Record<string, unknown>[][]> {
  assertId(workspaceId, 'Workspace');
  const settings = settingsSql({ workspaceId });
  const client = await readPool().connect();
  let failure: Error | undefined;
  try {
    const sent = [
      // One snapshot for every statement, so what one reads (a search's targets) holds for the next.
      client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'),
      client.query(settings.text, settings.values),
      ...statements.map((statement) => client.query(statement.text, statement.values)),
      client.query('COMMIT'),
    ];
    const answers = await Promise.allSettled(sent);
    const rejected = answers.find((answer) => answer.status === 'rejected');
    if (rejected) throw rejected.reason;
    return answers.slice(2, 2 + statements.length).map((answer) => (answer as PromiseFulfilledResult<{ rows: Record<string, unknown>[] }>).value.rows);
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // After a failure the connection's state is not trusted: it is discarded.
    client.release(failure);
  }
}

/**
 * One end user's rows in a workspace, as a run for that end user sees them:
 * threads, their messages and memory items require both app.workspace_id and
 * app.end_user_id (migration 0017), so even a query without an end-user filter
 * returns this end user's rows only. Other tenant tables behave as in withWorkspace().
 */
export function withEndUser<T>(workspaceId: string, endUserId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  assertId(workspaceId, 'Workspace');
  if (!endUserId.trim() || endUserId.length > 200) throw new NotFound('End user not found');
  return inAppRole({ workspaceId, endUserId }, fn);
}

/**
 * The workspace's memory browser: every end user's threads and memory items of
 * this workspace (app.end_user_admin). Called only from memory admin procedures.
 */
export function withWorkspaceEndUsers<T>(workspaceId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  assertId(workspaceId, 'Workspace');
  return inAppRole({ workspaceId, endUserAdmin: true }, fn);
}

/** A signed-in user's own view across workspaces: their memberships and those workspaces. */
export function withUser<T>(userId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  assertId(userId, 'User');
  return inAppRole({ userId }, fn);
}

/** Reading the one invitation whose token the caller holds. */
export function withInvitationToken<T>(tokenHash: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inAppRole({ inviteTokenHash: tokenHash }, fn);
}

/**
 * Account work — sign-up, sign-in, start-up upkeep: the whole user directory
 * and the login log, and no tenant rows.
 */
export function withAccounts<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inAppRole({ accounts: true }, fn);
}

/** No context at all: no tenant rows and no accounts are visible (health checks). */
export function withoutTenant<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inAppRole({}, fn);
}

/**
 * The operator's directory of workspaces: under app.operator only workspace rows
 * and their egress grants are readable across tenants (migration 0013), nothing
 * of their content. Called only from operator procedures.
 */
export function withOperatorDirectory<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inAppRole({ operator: true }, fn);
}

/**
 * A worker claiming the next document to ingest: under app.ingest_claim only
 * knowledge_documents and the ingestion queue's clocks are readable and updatable
 * across workspaces (migrations 0014, 0025), and workspace limits readable; the only caller is claimNextDocument() in server/knowledge/ingestion-claim.ts,
 * which returns ids, and the document is then ingested through withWorkspace().
 */
export function withIngestClaim<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inAppRole({ ingestClaim: true }, fn);
}
