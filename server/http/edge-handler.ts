// The app's HTTP edge, in front of Next.js: decides the client address, caps
// the request body for its route, sets the security headers (with a fresh CSP
// nonce) on every response, and answers 400 to a path that is not valid
// percent-encoding (Next.js would fail decoding it with a 500), before any route or page code runs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CLIENT_ADDRESS_HEADER, clientAddress } from '../tenancy/client-address';
import { bodyLimitFor, capRequestBody } from './body-limits';
import { isApiPath, newNonce, securityHeaders } from './security-headers';

export type EdgeOptions = { trustedProxies: number; dev: boolean; https: boolean };
type Handle = (req: IncomingMessage, res: ServerResponse) => unknown;

export function createEdgeHandler(handle: Handle, options: EdgeOptions) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], options.trustedProxies);
    if (address) req.headers[CLIENT_ADDRESS_HEADER] = address;
    else delete req.headers[CLIENT_ADDRESS_HEADER];

    const pathname = pathOf(req.url);
    const headers = securityHeaders({ nonce: newNonce(), dev: options.dev, https: options.https });
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (isApiPath(pathname)) res.setHeader('cache-control', 'no-store');
    // Next.js takes the nonce for its own scripts from the request's policy; a client's own value is replaced.
    req.headers['content-security-policy'] = headers['content-security-policy'];
    delete req.headers['content-security-policy-report-only'];

    if (!capRequestBody(req, res, bodyLimitFor(pathname))) return;
    if (!decodable(pathname)) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('Bad request: this address is not valid.');
      return;
    }
    void handle(req, res);
  };
}

function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://edge').pathname;
  } catch {
    return '/';
  }
}
