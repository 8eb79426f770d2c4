// next-auth configuration: email + password sign-in with JWT sessions. The
// session only carries the user id; every request re-reads the account, so a
// deleted or changed account takes effect at once.
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { LimitExceeded } from '../domain-errors';
import { authenticate } from './accounts';
import { CLIENT_ADDRESS_HEADER } from './client-address';

const credentialsSchema = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(200) });

/** The address server/main.ts decided for this request (never a client-supplied header). */
function clientIp(headers: Record<string, unknown> | undefined): string | undefined {
  const address = headers?.[CLIENT_ADDRESS_HEADER];
  return typeof address === 'string' && address ? address : undefined;
}

export const authOptions: NextAuthOptions = {
  session: { strategy: 'jwt', maxAge: 7 * 24 * 60 * 60 },
  pages: { signIn: '/sign-in' },
  providers: [
    CredentialsProvider({
      name: 'Email and password',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, req) {
        const parsed = credentialsSchema.safeParse(credentials);
        if (!parsed.success) return null;
        try {
          const account = await authenticate({ ...parsed.data, ip: clientIp(req?.headers) });
          return account ? { id: account.id, email: account.email, name: account.name } : null;
        } catch (error) {
          // next-auth passes a thrown message through to the sign-in form.
          if (error instanceof LimitExceeded) throw new Error(error.message);
          throw error;
        }
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      return { ...session, userId: token.sub };
    },
  },
};
