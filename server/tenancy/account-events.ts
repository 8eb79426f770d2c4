// Account-level audit trail (account_events, append-only: the app role may
// insert and read, never update or delete). Records what happens to an account
// outside any workspace — sessions ended, passwords changed, reset links issued
// and used — so an operator's reset link can never be a silent takeover.
import type { Prisma } from '../db/generated/client';
import { withAccounts, withUser, type Tx } from '../db/with-workspace';

export type AccountAction =
  | 'session.revoked'
  | 'sessions.revoked_all'
  | 'account.renamed'
  | 'password.changed'
  | 'password_reset.requested'
  | 'password_reset.issued'
  | 'password_reset.used'
  | 'workspace.deleted';

export type AccountEventSummary = {
  id: string;
  action: string;
  createdAt: Date;
  clientAddress: string | null;
  subjectEmail: string | null;
  actorEmail: string | null;
};

export async function recordAccountEvent(
  tx: Tx,
  event: { userId: string; actorUserId: string | null; action: AccountAction; clientAddress?: string; metadata?: Prisma.InputJsonObject },
): Promise<void> {
  await tx.accountEvent.create({
    data: {
      userId: event.userId,
      actorUserId: event.actorUserId,
      action: event.action,
      clientAddress: event.clientAddress ?? null,
      metadata: event.metadata ?? {},
    },
  });
}

type EventRow = { id: string; action: string; createdAt: Date; clientAddress: string | null; subjectEmail: string | null; actorEmail: string | null };

/** A user's own account events, newest first. */
export function accountEventsOf(userId: string, limit = 20): Promise<AccountEventSummary[]> {
  return withUser(userId, (tx) => eventRows(tx, userId, limit));
}

/** Every account's events, newest first (the operator's view). */
export function recentAccountEvents(limit = 50): Promise<AccountEventSummary[]> {
  return withAccounts((tx) => eventRows(tx, null, limit));
}

// The actor's email is read with the subject's row visibility: a user sees an
// operator's email only inside account work, otherwise "the operator".
function eventRows(tx: Tx, userId: string | null, limit: number): Promise<EventRow[]> {
  return tx.$queryRaw<EventRow[]>`
    SELECT e.id, e.action, e.created_at AS "createdAt", e.client_address AS "clientAddress",
           subject.email AS "subjectEmail",
           CASE WHEN e.actor_user_id IS NULL THEN NULL
                WHEN e.actor_user_id = e.user_id THEN subject.email
                ELSE coalesce(actor.email, 'the operator') END AS "actorEmail"
    FROM account_events e
    LEFT JOIN users subject ON subject.id = e.user_id
    LEFT JOIN users actor ON actor.id = e.actor_user_id
    WHERE ${userId}::uuid IS NULL OR e.user_id = ${userId}::uuid
    ORDER BY e.created_at DESC, e.id
    LIMIT ${limit}`;
}
