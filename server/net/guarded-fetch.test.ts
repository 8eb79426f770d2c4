// The fetch-shaped face of the egress guard, as an SDK would use it: refusals
// before any dial, credentials kept out of errors, streamed bodies under the cap.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LimitExceeded, PolicyViolation } from '../domain-errors';
import { recordingEgress } from '../testing/recording-egress';
import { createGuardedFetch } from './guarded-fetch';
import { nodeEgressAdapters } from './node-egress-adapters';

describe('guarded fetch', () => {
  let server: Server;
  let port: number;
  const seen: { method?: string; auth?: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, auth: req.headers.authorization, body });
        if (req.url === '/v1/stream') {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write('data: one\n\n');
          setTimeout(() => res.end('data: two\n\n'), 20);
          return;
        }
        if (req.url === '/v1/big') {
          // Chunked, no declared length: the cap has to hold while the body streams.
          for (let i = 0; i < 10; i++) res.write('x'.repeat(5_000));
          return void res.end();
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ echoed: JSON.parse(body || 'null') }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const granted = { allowedHosts: ['127.0.0.1'], allowPrivateAddresses: true };

  it('refuses an internal base URL without the grant, before any dial, without echoing the key', async () => {
    const egress = recordingEgress({ 'vllm.internal': ['10.0.0.8'] });
    const guardedFetch = createGuardedFetch({ policy: { allowedHosts: ['*'], allowPrivateAddresses: false }, adapters: egress.adapters });
    const error = await guardedFetch('http://vllm.internal:8000/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: 'Bearer sk-planted-key', 'content-type': 'application/json' },
      body: '{}',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyViolation);
    expect(String((error as Error).message)).not.toContain('sk-planted-key');
    expect(egress.dialled).toEqual([]);
  });

  it('sends JSON with the credential header and returns a Response', async () => {
    const guardedFetch = createGuardedFetch({ policy: granted, adapters: nodeEgressAdapters });
    const response = await guardedFetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-local', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ echoed: { model: 'm' } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', auth: 'Bearer sk-local' });
  });

  it('streams server-sent events as they arrive', async () => {
    const guardedFetch = createGuardedFetch({ policy: granted, adapters: nodeEgressAdapters });
    const response = await guardedFetch(`http://127.0.0.1:${port}/v1/stream`);
    const reader = response.body!.getReader();
    const parts: string[] = [];
    for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(new TextDecoder().decode(next.value));
    expect(parts.join('')).toBe('data: one\n\ndata: two\n\n');
    expect(parts.length).toBeGreaterThanOrEqual(2);
  });

  it('errors the body stream past the size cap', async () => {
    const guardedFetch = createGuardedFetch({ policy: granted, adapters: nodeEgressAdapters, limits: { maxResponseBytes: 10_000 } });
    const response = await guardedFetch(`http://127.0.0.1:${port}/v1/big`);
    await expect(response.text()).rejects.toBeInstanceOf(LimitExceeded);
  });
});
