// SSRF through the http_request tool: arguments are checked before any call, refused
// targets are never dialled (recording connector), and only a loopback server started
// here is really called, under the operator grant.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInput, LimitExceeded, PolicyViolation, UpstreamFailure } from '../../domain-errors';
import { nodeConnector } from '../../net/node-egress-adapters';
import { recordingEgress } from '../../testing/recording-egress';
import { testToolContext } from '../../testing/tool-context';
import { httpRequestTool } from './http-request';

const DNS = { 'api.example.com': ['93.184.216.34'], 'sneaky.example.com': ['192.168.0.10'], 'rebind.example.com': ['10.0.0.1'] };
const policy = { allowedHosts: ['api.example.com', 'sneaky.example.com', 'rebind.example.com'], allowPrivateAddresses: false };

describe('http_request tool', () => {
  it.each([
    ['missing url', {}, "must have required property 'url'"],
    ['url of the wrong type', { url: 42 }, 'url must be string'],
    ['unknown method', { url: 'https://api.example.com/', method: 'TRACE' }, 'method must be equal to one of the allowed values'],
    ['extra property', { url: 'https://api.example.com/', proxy: 'x' }, 'must NOT have additional properties (proxy)'],
    ['header value not a string', { url: 'https://api.example.com/', headers: { a: 1 } }, 'headers.a must be string'],
    ['arguments that are not JSON', '{"url": ', 'not valid JSON'],
    ['arguments that are not an object', '[1,2]', 'must be object'],
  ])('refuses %s before any call', async (_case, args, message) => {
    const egress = recordingEgress(DNS);
    const error = await httpRequestTool.call(args, testToolContext({ adapters: egress.adapters, policy })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInput);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).toMatch(/^Invalid arguments for http_request|not valid JSON/);
    expect(egress.dialled).toEqual([]);
    expect(egress.lookedUp).toEqual([]);
  });

  it.each([
    'http://127.0.0.1/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://017700000001/',
    'http://[::1]/',
    'http://[::ffff:169.254.169.254]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://metadata.google.internal/',
    'http://sneaky.example.com/',
    'http://rebind.example.com./',
    'file:///etc/passwd',
    'https://not-listed.example.org/',
  ])('refuses %s without dialling', async (url) => {
    const egress = recordingEgress(DNS);
    await expect(httpRequestTool.call({ url }, testToolContext({ adapters: egress.adapters, policy }))).rejects.toBeInstanceOf(PolicyViolation);
    expect(egress.dialled).toEqual([]);
  });

  it('refuses a redirect to a private address after the first hop', async () => {
    const egress = recordingEgress(DNS, () => ({ status: 301, headers: { location: 'http://sneaky.example.com/internal' } }));
    await expect(
      httpRequestTool.call({ url: 'https://api.example.com/go' }, testToolContext({ adapters: egress.adapters, policy })),
    ).rejects.toThrow('192.168.0.10');
    expect(egress.dialled.map((d) => d.address)).toEqual(['93.184.216.34']);
  });

  it('returns status, selected headers and the text body, defaults filled in', async () => {
    const egress = recordingEgress(DNS, () => ({
      status: 200,
      headers: { 'content-type': 'application/json', 'set-cookie': 'session=abc', 'x-request-id': 'r-1' },
      body: '{"temperature": 21}',
    }));
    const result = await httpRequestTool.call('{"url": "https://api.example.com/weather?city=Oslo"}', testToolContext({ adapters: egress.adapters, policy }));
    expect(result).toEqual({ status: 200, headers: { 'content-type': 'application/json', 'x-request-id': 'r-1' }, body: '{"temperature": 21}', truncated: false });
    expect(egress.dialled[0]!.method).toBe('GET');
  });

  it('cuts long bodies and does not decode binary ones', async () => {
    const long = recordingEgress(DNS, () => ({ headers: { 'content-type': 'text/plain' }, body: 'a'.repeat(40_000) }));
    const text = (await httpRequestTool.call({ url: 'https://api.example.com/' }, testToolContext({ adapters: long.adapters, policy }))) as { body: string; truncated: boolean };
    expect(text.truncated).toBe(true);
    expect(text.body.length).toBe(16_000);
    const binary = recordingEgress(DNS, () => ({ headers: { 'content-type': 'image/png' }, body: [new Uint8Array([137, 80, 78, 71])] }));
    const image = (await httpRequestTool.call({ url: 'https://api.example.com/' }, testToolContext({ adapters: binary.adapters, policy }))) as { body: string };
    expect(image.body).toBe('[4 bytes of image/png not shown]');
  });

  describe('against a loopback server', () => {
    let server: Server;
    let port: number;
    let hits = 0;
    beforeAll(async () => {
      server = createServer((req, res) => {
        hits++;
        if (req.url === '/slow') return void res.writeHead(200).write('partial');
        if (req.url === '/huge') return void res.end('z'.repeat(3 * 1024 * 1024));
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end(`${req.method} ${body}`));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    const adapters = { resolver: { lookup: async () => [] as string[] }, connector: nodeConnector };

    it('is only called when the workspace holds the operator grant', async () => {
      const url = `http://127.0.0.1:${port}/echo`;
      await expect(
        httpRequestTool.call({ url }, testToolContext({ adapters, policy: { allowedHosts: ['127.0.0.1'], allowPrivateAddresses: false } })),
      ).rejects.toBeInstanceOf(PolicyViolation);
      expect(hits).toBe(0);
      const granted = testToolContext({ adapters, policy: { allowedHosts: ['127.0.0.1'], allowPrivateAddresses: true } });
      const result = await httpRequestTool.call({ url, method: 'POST', body: 'hello' }, granted);
      expect(result).toMatchObject({ status: 200, body: 'POST hello' });
      expect(hits).toBe(1);
    });

    it('times out and caps the response size', async () => {
      const granted = testToolContext({ adapters, policy: { allowedHosts: ['127.0.0.1'], allowPrivateAddresses: true } });
      granted.egress.limits = { timeoutMs: 200 };
      await expect(httpRequestTool.call({ url: `http://127.0.0.1:${port}/slow` }, granted)).rejects.toBeInstanceOf(UpstreamFailure);
      granted.egress.limits = { maxResponseBytes: 1024 * 1024 };
      await expect(httpRequestTool.call({ url: `http://127.0.0.1:${port}/huge` }, granted)).rejects.toBeInstanceOf(LimitExceeded);
    });
  });
});
