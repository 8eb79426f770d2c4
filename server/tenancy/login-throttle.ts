// Sign-in, sign-up and password-reset throttling kept in Postgres (no extra
// service). Within the sign-in window, an attempt is refused once there have been
//   LIMITS.emailFromAddress failures for this email from this client address, or
//   LIMITS.address failures from this address (any email), or
//   LIMITS.email failures for this email from anywhere — unless this address has
//   no recent failure for the email: then the attempt is checked (one guess per
//   fresh address), so a guesser spread over many addresses is slowed to a crawl
//   while the owner, signing in from their own address, still gets in.
// An attempt is recorded as failed before the password is checked, under a
// lock, so parallel guesses count against each other; a success clears the
// email's failures. Sign-up and reset requests are counted per address (and
// resets per email too) in the same log.
import { LimitExceeded } from '../domain-errors';
import { env } from '../env';
import { withAccounts } from '../db/with-workspace';

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const LIMITS = { emailFromAddress: 5, address: 30, email: 50 } as const;

export type RequestKind = 'sign-up' | 'password-reset';
/** Requests per hour: per client address, and per email for resets (a mailbox should not be flooded). */
export function requestLimits(kind: RequestKind): { address: number; email?: number } {
  return kind === 'sign-up' ? { address: env().ENCLAVE_SIGN_UP_LIMIT } : { address: 10, email: 3 };
}
export const REQUEST_WINDOW_MS = 60 * 60 * 1000;

const TOO_MANY_SIGN_INS = 'Too many failed sign-in attempts. Try again in 15 minutes.';

/** Opens an attempt (recorded as failed) or throws LimitExceeded. Returns its id for loginSucceeded(). */
export async function beginLoginAttempt(email: string, ip: string | undefined): Promise<string> {
  const failedSince = { kind: 'sign-in', succeeded: false, createdAt: { gte: new Date(Date.now() - THROTTLE_WINDOW_MS) } };
  return withAccounts(async (tx) => {
    // Email first, address second, always in that order: no two attempts wait on each other in a cycle.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`enclave:login:email:${email}`}))`;
    if (ip) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`enclave:login:address:${ip}`}))`;
    const byEmailFromAddress = await tx.loginAttempt.count({ where: { ...failedSince, email, ip: ip ?? null } });
    const byAddress = ip ? await tx.loginAttempt.count({ where: { ...failedSince, ip } }) : 0;
    const byEmail = await tx.loginAttempt.count({ where: { ...failedSince, email } });
    const emailLocked = byEmail >= LIMITS.email && (byEmailFromAddress > 0 || !ip);
    if (byEmailFromAddress >= LIMITS.emailFromAddress || byAddress >= LIMITS.address || emailLocked) {
      throw new LimitExceeded(TOO_MANY_SIGN_INS);
    }
    const attempt = await tx.loginAttempt.create({ data: { email, ip: ip ?? null, succeeded: false }, select: { id: true } });
    return attempt.id;
  });
}

/** Marks an attempt that turned out right as a success and clears the email's failures. */
export async function loginSucceeded(attemptId: string, email: string): Promise<void> {
  await withAccounts(async (tx) => {
    await tx.loginAttempt.deleteMany({ where: { email, kind: 'sign-in', succeeded: false, id: { not: attemptId } } });
    await tx.loginAttempt.update({ where: { id: attemptId }, data: { succeeded: true } });
  });
}

/** Counts a sign-up or reset request against its limits, or throws LimitExceeded. */
export async function recordRequest(kind: RequestKind, email: string, ip: string | undefined): Promise<void> {
  const limits = requestLimits(kind);
  const recent = { kind, createdAt: { gte: new Date(Date.now() - REQUEST_WINDOW_MS) } };
  await withAccounts(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`enclave:${kind}:address:${ip ?? ''}`}))`;
    const byAddress = await tx.loginAttempt.count({ where: { ...recent, ip: ip ?? null } });
    const byEmail = limits.email ? await tx.loginAttempt.count({ where: { ...recent, email } }) : 0;
    if (byAddress >= limits.address || (limits.email !== undefined && byEmail >= limits.email)) {
      throw new LimitExceeded(
        kind === 'sign-up' ? 'Too many sign-ups from your network. Try again in an hour.' : 'Too many reset requests. Try again in an hour.',
      );
    }
    await tx.loginAttempt.create({ data: { kind, email, ip: ip ?? null, succeeded: true } });
  });
}
