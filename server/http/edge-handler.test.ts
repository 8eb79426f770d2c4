// The edge answers a path that is not valid percent-encoding with a plain 400
// carrying the security headers, before the app sees it; valid paths pass on.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeHandler } from './edge-handler';

let server: Server;
let base: string;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer(
    createEdgeHandler(
      (req, res) => {
        seen.push(req.url ?? '');
        res.end('app');
      },
      { trustedProxies: 0, dev: false, https: false },
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('HTTP edge: paths', () => {
  for (const path of ['/w/%E0%A4%A', '/api/runs/%ZZ/events', '/api/exports/%E0%A4%A', '/api/trpc/%C0', '/invite/%']) {
    it(`answers 400 to ${path} without reaching the app`, async () => {
      const response = await fetch(base + path);
      expect(response.status).toBe(400);
      expect(await response.text()).toBe('Bad request: this address is not valid.');
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(seen).not.toContain(path);
    });
  }

  it('passes valid escapes on to the app', async () => {
    const response = await fetch(`${base}/w/a%20b?q=%E0%A4`);
    expect(await response.text()).toBe('app');
    expect(seen).toContain('/w/a%20b?q=%E0%A4');
  });
});
