// Sign-in throttling kept in Postgres (no extra service). Within the window, an
// attempt is refused once there have been
//   LIMITS.emailFromAddress failures for this email from this client address,
//   LIMITS.address failures from this address (any email), or
//   LIMITS.email failures for this email from anywhere.
// Keying the tight limit on email + address means a stranger guessing from
// their own address cannot lock the owner of the email out; the looser
// email-wide limit still caps guessing spread over many addresses. An attempt
// is recorded as failed before the password is checked, under a lock, so
// parallel guesses count against each other; a success clears the email's
// failures.
import { LimitExceeded } from '../domain-errors';
import { withAccounts } from '../db/with-workspace';

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const LIMITS = { emailFromAddress: 5, address: 30, email: 50 } as const;

/** Opens an attempt (recorded as failed) or throws LimitExceeded. Returns its id for loginSucceeded(). */
export async function beginLoginAttempt(email: string, ip: string | undefined): Promise<string> {
  const failedSince = { succeeded: false, createdAt: { gte: new Date(Date.now() - THROTTLE_WINDOW_MS) } };
  return withAccounts(async (tx) => {
    // Email first, address second, always in that order: no two attempts wait on each other in a cycle.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`enclave:login:email:${email}`}))`;
    if (ip) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`enclave:login:address:${ip}`}))`;
    const byEmailFromAddress = await tx.loginAttempt.count({ where: { ...failedSince, email, ip: ip ?? null } });
    const byAddress = ip ? await tx.loginAttempt.count({ where: { ...failedSince, ip } }) : 0;
    const byEmail = await tx.loginAttempt.count({ where: { ...failedSince, email } });
    if (byEmailFromAddress >= LIMITS.emailFromAddress || byAddress >= LIMITS.address || byEmail >= LIMITS.email) {
      throw new LimitExceeded('Too many failed sign-in attempts. Try again in 15 minutes.');
    }
    const attempt = await tx.loginAttempt.create({ data: { email, ip: ip ?? null, succeeded: false }, select: { id: true } });
    return attempt.id;
  });
}

/** Marks an attempt that turned out right as a success and clears the email's failures. */
export async function loginSucceeded(attemptId: string, email: string): Promise<void> {
  await withAccounts(async (tx) => {
    await tx.loginAttempt.deleteMany({ where: { email, succeeded: false, id: { not: attemptId } } });
    await tx.loginAttempt.update({ where: { id: attemptId }, data: { succeeded: true } });
  });
}
