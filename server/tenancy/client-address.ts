// The client's network address, decided once by the app's own HTTP server and
// handed to route handlers in a header it overwrites on every request, so a
// client cannot choose the address its sign-in attempts are throttled under.

/** Set by server/main.ts on every request; anything the client sent under this name is replaced. */
export const CLIENT_ADDRESS_HEADER = 'x-enclave-client-address';

/**
 * The socket peer, or, behind `trustedProxies` proxies that each append to
 * X-Forwarded-For, the address the outermost trusted proxy saw: counted from
 * the right, since entries further left are whatever the client wrote.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: number,
): string | undefined {
  if (trustedProxies === 0) return socketAddress;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  return hops[hops.length - trustedProxies] ?? socketAddress;
}
