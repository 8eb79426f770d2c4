// Account creation and credential checks. Emails are stored lower-case; sign-in
// is throttled by email and client address (see login-throttle.ts). The public
// sign-up flow, which never reveals whether an email is taken, is in
// sign-up-requests.ts; signUp() here is the direct path (seed, tests, links).
import { Conflict } from '../domain-errors';
import { env } from '../env';
import { withAccounts, withUser, type Tx } from '../db/with-workspace';
import { beginLoginAttempt, loginSucceeded } from './login-throttle';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords';

export type AccountSummary = { id: string; email: string; name: string; isOperator: boolean };

const summary = { id: true, email: true, name: true, isOperator: true } as const;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function signUp(input: { email: string; name: string; password: string }): Promise<AccountSummary> {
  const passwordHash = await hashPassword(input.password);
  const created = await withAccounts((tx) => createAccountIn(tx, { email: input.email, name: input.name, passwordHash }));
  if (!created) throw new Conflict('An account with this email already exists');
  return created;
}

/**
 * Creates an account inside account work, or returns null when the email is
 * taken. Takes the sign-up lock, so two first users cannot both become the operator.
 */
export async function createAccountIn(
  tx: Tx,
  input: { email: string; name: string; passwordHash: string },
): Promise<AccountSummary | null> {
  const email = normalizeEmail(input.email);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('enclave:sign-up'))`;
  if (await tx.user.findUnique({ where: { email }, select: { id: true } })) return null;
  // The operator is the configured email or, when none is configured, the first user.
  const operatorEmail = env().ENCLAVE_OPERATOR_EMAIL;
  const isOperator = operatorEmail ? normalizeEmail(operatorEmail) === email : (await tx.user.count()) === 0;
  return tx.user.create({ data: { email, name: input.name.trim(), passwordHash: input.passwordHash, isOperator }, select: summary });
}

/** Whether `password` is the account's current one (no throttle: the caller is already signed in). */
export async function passwordMatches(userId: string, password: string): Promise<boolean> {
  const [row] = await withAccounts((tx) =>
    tx.$queryRaw<{ passwordHash: string }[]>`
      SELECT c.password_hash AS "passwordHash" FROM users u, account_credentials(u.email) c WHERE u.id = ${userId}::uuid`,
  );
  if (!row) {
    await burnPasswordCheck(password);
    return false;
  }
  return verifyPassword(password, row.passwordHash);
}

/** Returns the account for a correct email + password, null otherwise; throws LimitExceeded when throttled. */
export async function authenticate(input: {
  email: string;
  password: string;
  ip?: string;
}): Promise<AccountSummary | null> {
  const email = normalizeEmail(input.email);
  const attemptId = await beginLoginAttempt(email, input.ip);
  // The app role cannot read password hashes; account_credentials() hands over this one (migration 0003).
  const [account] = await withAccounts((tx) =>
    tx.$queryRaw<(AccountSummary & { passwordHash: string })[]>`
      SELECT id, email, name, is_operator AS "isOperator", password_hash AS "passwordHash"
      FROM account_credentials(${email})`,
  );
  let ok = false;
  if (account) ok = await verifyPassword(input.password, account.passwordHash);
  else await burnPasswordCheck(input.password);
  if (!account || !ok) return null;
  await loginSucceeded(attemptId, email);
  return { id: account.id, email: account.email, name: account.name, isOperator: account.isOperator };
}

/** The signed-in user's own account (their own row is all this transaction sees). */
export async function accountById(userId: string): Promise<AccountSummary | null> {
  return withUser(userId, (tx) => tx.user.findUnique({ where: { id: userId }, select: summary }));
}

/** Whether any account exists — among `emails` when given, else at all. */
export async function anyAccountExists(emails?: readonly string[]): Promise<boolean> {
  const where = emails ? { email: { in: emails.map(normalizeEmail) } } : {};
  return (await withAccounts((tx) => tx.user.findFirst({ where, select: { id: true } }))) !== null;
}

export function accountExists(email: string): Promise<boolean> {
  return anyAccountExists([email]);
}

/** Makes an existing account the operator; returns whether one was found. */
export async function grantOperator(email: string): Promise<boolean> {
  const { count } = await withAccounts((tx) =>
    tx.user.updateMany({ where: { email: normalizeEmail(email) }, data: { isOperator: true } }),
  );
  return count > 0;
}

/** Start-up: make sure ENCLAVE_OPERATOR_EMAIL's account, if it exists, carries the flag. */
export async function syncOperatorFlag(): Promise<void> {
  const operatorEmail = env().ENCLAVE_OPERATOR_EMAIL;
  if (!operatorEmail) return;
  await grantOperator(operatorEmail);
}

