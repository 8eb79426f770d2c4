// One-time account links (sign-up completion, password reset). The link carries
// 32 random bytes; only their SHA-256 is stored, so a database reader cannot use
// a link. Links expire and are marked used when they are claimed.
import { createHash, randomBytes } from 'node:crypto';
import type { Tx } from '../db/with-workspace';
import { appUrl } from '../env';

export type AccountTokenPurpose = 'sign-up' | 'password-reset';

/** How long each kind of link works. */
export const TOKEN_LIFETIME_MS: Record<AccountTokenPurpose, number> = {
  'sign-up': 24 * 60 * 60 * 1000,
  'password-reset': 60 * 60 * 1000,
};

const PATHS: Record<AccountTokenPurpose, string> = { 'sign-up': '/sign-up/confirm', 'password-reset': '/reset-password' };

export function hashAccountToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A fresh token, its hash to store, its link and its expiry. */
export function newAccountToken(purpose: AccountTokenPurpose) {
  const token = randomBytes(32).toString('base64url');
  return {
    token,
    tokenHash: hashAccountToken(token),
    url: `${appUrl()}${PATHS[purpose]}/${token}`,
    expiresAt: new Date(Date.now() + TOKEN_LIFETIME_MS[purpose]),
  };
}

/** Deletes links that expired over a day ago (inside account work), so the table stays small. */
export async function pruneExpiredTokens(tx: Tx): Promise<void> {
  await tx.accountToken.deleteMany({ where: { expiresAt: { lt: new Date(Date.now() - 24 * 60 * 60 * 1000) } } });
}
