// next-auth's endpoints, behind a guard that turns bad input into clean
// answers: callbackUrl in the query or body is reduced to a same-site URL
// before next-auth sees it (it answers 500 to values it cannot parse), a
// callback-url cookie it could not parse is cleared with a 400, an unreadable
// body is a 400, and anything next-auth still fails on is a 400, never a 500.
import NextAuth from 'next-auth';
import { NextRequest } from 'next/server';
import { appUrl } from '@/server/env';
import { logger } from '@/server/observability/logger';
import { authOptions, safeRedirect } from '@/server/tenancy/auth-options';

type RouteContext = { params: Promise<{ nextauth: string[] }> };

const CALLBACK_COOKIES = ['next-auth.callback-url', '__Secure-next-auth.callback-url'];

function badRequest(message: string, headers?: HeadersInit): Response {
  return Response.json({ error: { message } }, { status: 400, headers });
}

/** What next-auth accepts as a callback URL (an absolute http(s) URL). */
function parsesAsHttpUrl(value: string, base: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith('/') ? base : undefined).protocol);
  } catch {
    return false;
  }
}

/** The body as next-auth reads it (form or JSON object), or null when unreadable. */
async function readBody(req: NextRequest): Promise<Record<string, string> | null | undefined> {
  if (req.method !== 'POST' || !req.body) return undefined;
  const type = req.headers.get('content-type') ?? '';
  const text = await req.text();
  if (type.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    } catch {
      return null;
    }
  }
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  return undefined;
}

async function handler(req: NextRequest, context: RouteContext): Promise<Response> {
  const base = appUrl();
  const stale = CALLBACK_COOKIES.find((name) => {
    const value = req.cookies.get(name)?.value;
    return value !== undefined && !parsesAsHttpUrl(value, base);
  });
  if (stale) return badRequest('Bad callback URL cookie; it has been cleared. Try again.', { 'Set-Cookie': `${stale}=; Path=/; Max-Age=0` });

  const body = await readBody(req);
  if (body === null) return badRequest('Unreadable request body');
  const url = new URL(req.nextUrl.href);
  const queryCallback = url.searchParams.get('callbackUrl');
  if (queryCallback !== null) url.searchParams.set('callbackUrl', safeRedirect(queryCallback, base));
  if (body && typeof body.callbackUrl === 'string') body.callbackUrl = safeRedirect(body.callbackUrl, base);

  const headers = new Headers(req.headers);
  if (body) headers.set('content-type', 'application/x-www-form-urlencoded');
  headers.delete('content-length');
  const forwarded = new NextRequest(url, { method: req.method, headers, body: body ? new URLSearchParams(body).toString() : undefined });
  try {
    const response: Response = await NextAuth(forwarded, context, authOptions());
    if (response.status < 500) return response;
    logger.error({ path: url.pathname, status: response.status }, 'next-auth answered a server error');
  } catch (error) {
    logger.error({ err: error, path: url.pathname }, 'next-auth failed');
  }
  return badRequest('This sign-in request is not valid');
}

export { handler as GET, handler as POST };
