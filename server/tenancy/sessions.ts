// Server-side sessions behind next-auth's JWTs: the token carries a session id,
// and every request checks, in one statement, that the row exists, is neither
// revoked nor expired and belongs to the token's user — so signing out, "sign
// out everywhere" and a password change end a session on the server, not just
// in the browser. last_seen_at is written at most once a minute.
import { withAccounts, withUser, type Tx } from '../db/with-workspace';
import type { AccountSummary } from './accounts';

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type SessionOrigin = { userAgent?: string; clientAddress?: string };
export type SessionSummary = {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  userAgent: string | null;
  clientAddress: string | null;
};

/** Ended sessions are kept this long (for the record), then pruned when the user next signs in. */
export const ENDED_SESSION_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** Opens a session for a user who has just proved who they are; returns its id for the JWT. */
export async function openSession(userId: string, origin: SessionOrigin): Promise<string> {
  const longAgo = new Date(Date.now() - ENDED_SESSION_RETENTION_MS);
  const session = await withUser(userId, async (tx) => {
    await tx.userSession.deleteMany({ where: { userId, OR: [{ expiresAt: { lt: longAgo } }, { revokedAt: { lt: longAgo } }] } });
    return tx.userSession.create({
      data: {
        userId,
        expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
        userAgent: origin.userAgent?.slice(0, 400) ?? null,
        clientAddress: origin.clientAddress ?? null,
      },
      select: { id: true },
    });
  });
  return session.id;
}

/**
 * The account behind a live session, or null when the session is unknown,
 * revoked, expired or someone else's. One statement: the check, the account
 * read and the (at most once a minute) last-seen update.
 */
export async function activeSessionAccount(sessionId: unknown, userId: unknown): Promise<AccountSummary | null> {
  if (typeof sessionId !== 'string' || typeof userId !== 'string' || !UUID.test(sessionId) || !UUID.test(userId)) {
    return null;
  }
  const rows = await withUser(
    userId,
    (tx) => tx.$queryRaw<AccountSummary[]>`
      WITH live AS (
        SELECT s.id, s.last_seen_at FROM user_sessions s
        WHERE s.id = ${sessionId}::uuid AND s.user_id = ${userId}::uuid
          AND s.revoked_at IS NULL AND s.expires_at > now()
      ), touched AS (
        UPDATE user_sessions SET last_seen_at = now()
        WHERE id IN (SELECT id FROM live WHERE last_seen_at < now() - interval '1 minute')
        RETURNING id
      )
      SELECT u.id, u.email, u.name, u.is_operator AS "isOperator"
      FROM live JOIN users u ON u.id = ${userId}::uuid`,
  );
  return rows[0] ?? null;
}

/** The user's sessions that are still live, newest first. */
export async function liveSessions(userId: string): Promise<SessionSummary[]> {
  return withUser(userId, (tx) =>
    tx.userSession.findMany({
      where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { lastSeenAt: 'desc' },
      select: { id: true, createdAt: true, lastSeenAt: true, userAgent: true, clientAddress: true },
    }),
  );
}

/** Ends one of the user's sessions; returns whether a live one was found. */
export async function revokeSession(userId: string, sessionId: string): Promise<boolean> {
  if (!UUID.test(sessionId)) return false;
  const { count } = await withUser(userId, (tx) =>
    tx.userSession.updateMany({ where: { id: sessionId, userId, revokedAt: null }, data: { revokedAt: new Date() } }),
  );
  return count > 0;
}

/** Ends every live session of a user inside an account transaction, except `keep`; returns how many. */
export async function revokeSessionsIn(tx: Tx, userId: string, keep?: string): Promise<number> {
  const { count } = await tx.userSession.updateMany({
    where: { userId, revokedAt: null, ...(keep ? { id: { not: keep } } : {}) },
    data: { revokedAt: new Date() },
  });
  return count;
}

/** Ends every session of a user (sign out everywhere), except `keep` when given. */
export function revokeAllSessions(userId: string, keep?: string): Promise<number> {
  return withAccounts((tx) => revokeSessionsIn(tx, userId, keep));
}
