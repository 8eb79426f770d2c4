// next-auth configuration: email + password sign-in with JWT sessions backed by
// a server-side session row (sessions.ts). The JWT carries the user and session
// ids; every request (pages, tRPC and next-auth's own /api/auth/session) checks
// the row in one query and re-reads the account, so signing out, a revoked
// session or a changed account takes effect at once. Redirect targets are
// reduced to same-site paths; cookies are Secure whenever APP_URL is https.
import type { NextAuthOptions } from 'next-auth';
import type { JWT } from 'next-auth/jwt';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { safeCallbackUrl } from '../../components/auth/safe-callback';
import { LimitExceeded } from '../domain-errors';
import { appUrl } from '../env';
import { logger } from '../observability/logger';
import { authenticate, type AccountSummary } from './accounts';
import { CLIENT_ADDRESS_HEADER } from './client-address';
import { auditSignIn } from './sign-in-audit';
import { activeSessionAccount, openSession, revokeSession, SESSION_MAX_AGE_SECONDS } from './sessions';

/** Control characters never belong in an email or a password (and NUL cannot be stored). */
const plainText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => ![...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f));
const credentialsSchema = z.object({ email: plainText(254).pipe(z.string().trim().min(1)), password: plainText(200).pipe(z.string().min(1)) });

/** What /api/auth/session and getServerSession() answer for a live session. */
export type EnclaveSession = { account: AccountSummary; sessionId: string; expires?: string };

/** Thrown in the jwt callback for a session that has ended; next-auth then clears the cookie. */
class SessionEnded extends Error {}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return typeof value === 'string' && value ? value : undefined;
}

/** A same-site absolute URL for next-auth: any other origin, or a malformed value, becomes a safe path. */
export function safeRedirect(url: string, baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  let path: string | undefined;
  if (url.startsWith('/')) path = url;
  else {
    try {
      const parsed = new URL(url);
      if (parsed.origin === new URL(base).origin) path = `${parsed.pathname}${parsed.search}${parsed.hash}`;
    } catch {
      path = undefined;
    }
  }
  const target = safeCallbackUrl(path, '/');
  // next-auth keeps the target in a cookie: an oversized one would make the response's headers overflow.
  return `${base}${target.length > MAX_CALLBACK_LENGTH ? '/' : target}`;
}

/** Longest same-site path followed after sign-in or sign-out. */
export const MAX_CALLBACK_LENGTH = 2000;

/** The account each checked token belongs to, handed from the jwt callback to the session callback. */
const checkedAccounts = new WeakMap<JWT, AccountSummary>();

function buildAuthOptions(): NextAuthOptions {
  return {
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    useSecureCookies: appUrl().startsWith('https://'),
    pages: { signIn: '/sign-in' },
    logger: {
      error(code, metadata) {
        const err = metadata instanceof Error ? metadata : (metadata as { error?: unknown })?.error;
        if (err instanceof SessionEnded) return; // an ended session is an ordinary event, not an error
        logger.warn({ code, err }, 'next-auth error');
      },
      warn(code) {
        logger.debug({ code }, 'next-auth warning');
      },
      debug() {},
    },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials, req) {
          const parsed = credentialsSchema.safeParse(credentials);
          if (!parsed.success) return null;
          const clientAddress = header(req?.headers, CLIENT_ADDRESS_HEADER);
          try {
            const account = await authenticate({ ...parsed.data, ip: clientAddress });
            if (!account) return null;
            const sessionId = await openSession(account.id, { userAgent: header(req?.headers, 'user-agent'), clientAddress });
            await auditSignIn(account.id, { userAgent: header(req?.headers, 'user-agent'), clientAddress });
            return { id: account.id, email: account.email, name: account.name, sessionId };
          } catch (error) {
            // next-auth passes a thrown message through to the sign-in form: only ever ours.
            if (error instanceof LimitExceeded) throw new Error(error.message);
            logger.error({ err: error }, 'sign-in failed');
            throw new Error('Sign-in is unavailable right now. Try again shortly.');
          }
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.sid = (user as { sessionId?: string }).sessionId;
          return token;
        }
        const account = await activeSessionAccount(token.sid, token.sub);
        if (!account) throw new SessionEnded('session ended');
        checkedAccounts.set(token, account);
        return token;
      },
      session({ session, token }) {
        const account = checkedAccounts.get(token);
        if (!account) throw new SessionEnded('session not checked');
        const body: EnclaveSession & typeof session = {
          ...session,
          user: { name: account.name, email: account.email },
          account,
          sessionId: String(token.sid),
        };
        return body;
      },
      redirect({ url, baseUrl }) {
        return safeRedirect(url, baseUrl);
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sub === 'string' && typeof token.sid === 'string') await revokeSession(token.sub, token.sid);
      },
    },
  };
}

let built: { url: string; options: NextAuthOptions } | undefined;

/** The options for the current APP_URL (built once per URL). */
export function authOptions(): NextAuthOptions {
  const url = appUrl();
  if (built?.url !== url) built = { url, options: buildAuthOptions() };
  return built.options;
}
