// Sign-in throttling kept in Postgres (no extra service): at most
// MAX_FAILURES_PER_EMAIL failed attempts per email and MAX_FAILURES_PER_IP per
// client address within the window; a success clears that email's failures.
import { LimitExceeded } from '../domain-errors';
import { withAccounts } from '../db/with-workspace';

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 30;

export async function assertLoginAllowed(email: string, ip: string | undefined): Promise<void> {
  const since = new Date(Date.now() - THROTTLE_WINDOW_MS);
  const [byEmail, byIp] = await withAccounts((tx) =>
    Promise.all([
      tx.loginAttempt.count({ where: { email, succeeded: false, createdAt: { gte: since } } }),
      ip ? tx.loginAttempt.count({ where: { ip, succeeded: false, createdAt: { gte: since } } }) : 0,
    ]),
  );
  if (byEmail >= MAX_FAILURES_PER_EMAIL || byIp >= MAX_FAILURES_PER_IP) {
    throw new LimitExceeded('Too many failed sign-in attempts. Try again in 15 minutes.');
  }
}

export async function recordLoginAttempt(email: string, ip: string | undefined, succeeded: boolean): Promise<void> {
  await withAccounts(async (tx) => {
    if (succeeded) await tx.loginAttempt.deleteMany({ where: { email, succeeded: false } });
    await tx.loginAttempt.create({ data: { email, ip: ip ?? null, succeeded } });
  });
}
