// A signed-in user's own account: their name, their password and their
// sessions. Changing the password needs the current one and ends every other
// session (the one making the change stays signed in); every change is
// recorded in the account's audit trail.
import { InvalidInput, NotFound } from '../domain-errors';
import { withAccounts } from '../db/with-workspace';
import { accountById, passwordMatches, type AccountSummary } from './accounts';
import { recordAccountEvent } from './account-events';
import { hashPassword } from './passwords';
import { revokeSession, revokeSessionsIn } from './sessions';

export type AccountActor = { userId: string; sessionId?: string; clientAddress?: string };

export async function renameAccount(actor: AccountActor, name: string): Promise<AccountSummary> {
  await withAccounts(async (tx) => {
    await tx.user.update({ where: { id: actor.userId }, data: { name: name.trim() }, select: { id: true } });
    await recordAccountEvent(tx, { userId: actor.userId, actorUserId: actor.userId, action: 'account.renamed', clientAddress: actor.clientAddress });
  });
  const account = await accountById(actor.userId);
  if (!account) throw new NotFound('Account not found');
  return account;
}

/** Returns how many other sessions were ended. */
export async function changePassword(
  actor: AccountActor,
  input: { currentPassword: string; newPassword: string },
): Promise<{ otherSessionsEnded: number }> {
  if (!(await passwordMatches(actor.userId, input.currentPassword))) {
    throw new InvalidInput('That is not your current password', 'currentPassword');
  }
  if (input.currentPassword === input.newPassword) {
    throw new InvalidInput('Choose a password different from the current one', 'newPassword');
  }
  const passwordHash = await hashPassword(input.newPassword);
  return withAccounts(async (tx) => {
    await tx.user.update({ where: { id: actor.userId }, data: { passwordHash }, select: { id: true } });
    const otherSessionsEnded = await revokeSessionsIn(tx, actor.userId, actor.sessionId);
    await recordAccountEvent(tx, {
      userId: actor.userId,
      actorUserId: actor.userId,
      action: 'password.changed',
      clientAddress: actor.clientAddress,
      metadata: { otherSessionsEnded },
    });
    return { otherSessionsEnded };
  });
}

/** Ends one of the actor's own sessions (another device, or this one). */
export async function endSession(actor: AccountActor, sessionId: string): Promise<void> {
  if (!(await revokeSession(actor.userId, sessionId))) throw new NotFound('Session not found');
  await withAccounts((tx) =>
    recordAccountEvent(tx, { userId: actor.userId, actorUserId: actor.userId, action: 'session.revoked', clientAddress: actor.clientAddress }),
  );
}

/** Ends every session of the actor, this one included. Returns how many. */
export async function signOutEverywhere(actor: AccountActor): Promise<number> {
  return withAccounts(async (tx) => {
    const ended = await revokeSessionsIn(tx, actor.userId);
    await recordAccountEvent(tx, {
      userId: actor.userId,
      actorUserId: actor.userId,
      action: 'sessions.revoked_all',
      clientAddress: actor.clientAddress,
      metadata: { ended },
    });
    return ended;
  });
}
