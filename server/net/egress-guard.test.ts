// SSRF through the egress guard. Refusals are proven by the recording connector:
// nothing refused is ever dialled. Only loopback servers started here are really
// called, and only when the workspace holds the operator grant for private addresses.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInput, LimitExceeded, PolicyViolation, UpstreamFailure } from '../domain-errors';
import { recordingEgress } from '../testing/recording-egress';
import { checkEgressTarget, openGuardedRequest, sendGuardedRequest, type EgressAdapters } from './egress-guard';
import type { EgressPolicy } from './egress-policy';
import { createNodeConnector, nodeConnector } from './node-egress-adapters';

const PUBLIC = '93.184.216.34';
const DNS: Record<string, string[]> = {
  'api.example.com': [PUBLIC],
  'files.partner.io': ['2606:4700:4700::1111'],
  'internal.example.com': ['10.1.2.3'],
  'mixed.example.com': [PUBLIC, '127.0.0.1'],
  'v6loop.example.com': ['::1'],
  'mapped.example.com': ['::ffff:169.254.169.254'],
  'nat64.example.com': ['64:ff9b::7f00:1'],
  'ula.example.com': ['fd00:ec2::254'],
  'cgnat.example.com': ['100.64.0.7'],
  localhost: ['127.0.0.1'],
};

const open: EgressPolicy = { allowedHosts: ['*'], allowPrivateAddresses: false };
const listed: EgressPolicy = { allowedHosts: ['api.example.com', '*.partner.io'], allowPrivateAddresses: false };

async function refusal(url: string, policy: EgressPolicy = open) {
  const egress = recordingEgress(DNS);
  const error = await sendGuardedRequest({ url }, { policy, adapters: egress.adapters }).then(
    () => null,
    (e: unknown) => e,
  );
  return { error, dialled: egress.dialled };
}

describe('egress guard: refused targets are never dialled', () => {
  it.each([
    'http://127.0.0.1/',
    'http://10.0.0.1/admin',
    'http://172.16.5.4/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    'http://0.0.0.0:8080/',
    'http://224.0.0.1/',
    // decimal, hex, octal and short spellings of 127.0.0.1 and 169.254.169.254
    'http://2130706433/',
    'http://0x7f.1/',
    'http://017700000001/',
    'http://0x7f000001/',
    'http://127.1/',
    'http://0251.0376.0251.0376/',
    'http://2852039166/',
    // IPv6 forms
    'http://[::1]/',
    'http://[::]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://[64:ff9b::a9fe:a9fe]/',
    'http://[fd00:ec2::254]/',
    'http://[fc00::1]/',
    'http://[fe80::1]/',
    'http://[ff02::1]/',
    // trailing dots and case
    'http://127.0.0.1./',
    'HTTP://LOCALHOST./',
  ])('%s', async (url) => {
    const { error, dialled } = await refusal(url);
    expect(error).toBeInstanceOf(PolicyViolation);
    expect((error as Error).message).toMatch(/not allowed|metadata/);
    expect(dialled).toEqual([]);
  });

  it.each([
    ['internal.example.com', '10.1.2.3'],
    ['mixed.example.com', '127.0.0.1'],
    ['v6loop.example.com', '0:0:0:0:0:0:0:1'],
    ['mapped.example.com', 'ffff'],
    ['nat64.example.com', '64:ff9b'],
    ['ula.example.com', 'fd00:ec2'],
    ['cgnat.example.com', '100.64.0.7'],
  ])('a name that resolves to an internal address: %s', async (host, shown) => {
    const { error, dialled } = await refusal(`https://${host}/v1/models`);
    expect(error).toBeInstanceOf(PolicyViolation);
    expect((error as Error).message).toContain(shown);
    expect(dialled).toEqual([]);
  });

  it.each(['http://metadata.google.internal/computeMetadata/v1/', 'http://metadata.google.internal./', 'http://METADATA/'])(
    'metadata names, even with every host listed and private addresses granted: %s',
    async (url) => {
      const { error, dialled } = await refusal(url, { allowedHosts: ['*'], allowPrivateAddresses: true });
      expect(error).toBeInstanceOf(PolicyViolation);
      expect((error as Error).message).toContain('metadata');
      expect(dialled).toEqual([]);
    },
  );

  it.each(['file:///etc/passwd', 'ftp://api.example.com/', 'gopher://api.example.com:70/', 'data:text/plain,hi', 'javascript:alert(1)', 'ws://api.example.com/'])(
    'non-http scheme %s',
    async (url) => {
      const { error, dialled } = await refusal(url);
      expect(error).toBeInstanceOf(PolicyViolation);
      expect((error as Error).message).toContain('Only http and https');
      expect(dialled).toEqual([]);
    },
  );

  it.each([
    'http://other.com/',
    'http://partner.io/',
    'http://api.example.com.evil.com/',
    'http://evilapi.example.com/',
    'http://127.0.0.1#@api.example.com/',
    'http://2130706433/',
  ])('hosts not on the allow-list: %s', async (url) => {
    const { error, dialled } = await refusal(url, listed);
    expect(error).toBeInstanceOf(PolicyViolation);
    expect((error as Error).message).toContain("not on this workspace's egress allow-list");
    expect(dialled).toEqual([]);
  });

  it.each(['http://user:secret-pass@api.example.com/', 'http://api.example.com:secret-pass@127.0.0.1/', 'http://api.example.com@127.0.0.1/'])(
    'userinfo in the URL is refused: %s',
    async (url) => {
      const { error, dialled } = await refusal(url, listed);
      expect(error).toBeInstanceOf(PolicyViolation);
      expect((error as Error).message).toContain('embedded credentials');
      expect((error as Error).message).not.toContain('secret-pass');
      expect(dialled).toEqual([]);
    },
  );

  it('an empty allow-list refuses everything', async () => {
    const { error, dialled } = await refusal('https://api.example.com/', { allowedHosts: [], allowPrivateAddresses: false });
    expect(error).toBeInstanceOf(PolicyViolation);
    expect(dialled).toEqual([]);
  });

  it('an invalid URL or header is refused as input before any call', async () => {
    const egress = recordingEgress(DNS);
    await expect(sendGuardedRequest({ url: 'not a url' }, { policy: open, adapters: egress.adapters })).rejects.toBeInstanceOf(InvalidInput);
    await expect(
      sendGuardedRequest(
        { url: 'https://api.example.com/', headers: { 'x-note': 'a\r\nHost: 127.0.0.1' } },
        { policy: open, adapters: egress.adapters },
      ),
    ).rejects.toThrow('line break');
    expect(egress.dialled).toEqual([]);
  });

  it('a name that does not resolve is an upstream failure, not a dial', async () => {
    const { error, dialled } = await refusal('https://nowhere.example.com/');
    expect(error).toBeInstanceOf(UpstreamFailure);
    expect((error as UpstreamFailure).kind).toBe('unresolvable');
    expect(dialled).toEqual([]);
  });
});

describe('egress guard: checking a target without dialling', () => {
  it('applies the same rules as a request, for saving provider base URLs', async () => {
    const egress = recordingEgress(DNS);
    await expect(checkEgressTarget('https://api.example.com/v1', { policy: listed, adapters: egress.adapters })).resolves.toBeUndefined();
    await expect(checkEgressTarget('http://internal.example.com/v1', { policy: open, adapters: egress.adapters })).rejects.toThrow('10.1.2.3');
    await expect(checkEgressTarget('http://other.com/v1', { policy: listed, adapters: egress.adapters })).rejects.toBeInstanceOf(PolicyViolation);
    await expect(
      checkEgressTarget('http://internal.example.com/v1', { policy: { allowedHosts: ['*'], allowPrivateAddresses: true }, adapters: egress.adapters }),
    ).resolves.toBeUndefined();
    expect(egress.dialled).toEqual([]);
  });
});

describe('egress guard: allowed targets', () => {
  it('dials the vetted address with the original Host header and TLS name', async () => {
    const egress = recordingEgress(DNS, () => ({ status: 201, headers: { 'content-type': 'application/json', 'x-request-id': 'r1' }, body: '{"ok":true}' }));
    const response = await sendGuardedRequest(
      { url: 'https://api.example.com./v1/things?q=1', method: 'post', headers: { 'Content-Type': 'application/json', Host: 'evil.internal' }, body: '{}' },
      { policy: listed, adapters: egress.adapters },
    );
    expect(response.status).toBe(201);
    expect(new TextDecoder().decode(response.body)).toBe('{"ok":true}');
    expect(egress.dialled).toHaveLength(1);
    const dial = egress.dialled[0]!;
    expect(dial.address).toBe(PUBLIC);
    expect(dial.port).toBe(443);
    expect(dial.servername).toBe('api.example.com');
    expect(dial.method).toBe('POST');
    expect(dial.headers.host).toBe('api.example.com.');
    expect(dial.headers['content-type']).toBe('application/json');
    expect(dial.headers['accept-encoding']).toBe('identity');
    expect(dial.url.pathname + dial.url.search).toBe('/v1/things?q=1');
  });

  it('wildcard entries cover subdomains and IPv6 answers are dialled as such', async () => {
    const egress = recordingEgress(DNS);
    await sendGuardedRequest({ url: 'http://files.partner.io:8080/a' }, { policy: listed, adapters: egress.adapters });
    expect(egress.dialled.map((d) => [d.address, d.port])).toEqual([['2606:4700:4700:0:0:0:0:1111', 8080]]);
  });

  it('resolves once per hop, so a rebinding answer cannot change the dialled address', async () => {
    const answers = [[PUBLIC], ['127.0.0.1']];
    const dialled: string[] = [];
    const adapters: EgressAdapters = {
      resolver: { lookup: async () => answers.shift() ?? ['127.0.0.1'] },
      connector: {
        async dial(request) {
          dialled.push(request.address);
          return { status: 200, headers: {}, body: (async function* () {})() };
        },
      },
    };
    await sendGuardedRequest({ url: 'https://api.example.com/' }, { policy: listed, adapters });
    expect(dialled).toEqual([PUBLIC]);
    expect(answers).toEqual([['127.0.0.1']]);
  });
});

describe('egress guard: redirects', () => {
  function redirecting(chain: Record<string, string>) {
    return recordingEgress({ ...DNS, 'hop.example.com': [PUBLIC] }, (dial) => {
      const location = chain[dial.url.toString()];
      return location ? { status: 302, headers: { location } } : { body: 'landed' };
    });
  }
  const policy: EgressPolicy = {
    allowedHosts: ['api.example.com', 'hop.example.com', 'internal.example.com', '127.0.0.1', '169.254.169.254'],
    allowPrivateAddresses: false,
  };

  it.each([
    ['http://127.0.0.1/admin', 'not allowed'],
    ['http://internal.example.com/', '10.1.2.3'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://[::ffff:127.0.0.1]/', "not on this workspace's egress allow-list"],
    ['http://other.com/', "not on this workspace's egress allow-list"],
    ['file:///etc/passwd', 'Only http and https'],
  ])('a redirect to %s is refused after the first hop', async (target, message) => {
    const egress = redirecting({ 'https://api.example.com/start': target });
    await expect(sendGuardedRequest({ url: 'https://api.example.com/start' }, { policy, adapters: egress.adapters })).rejects.toThrow(message);
    expect(egress.dialled.map((d) => d.url.toString())).toEqual(['https://api.example.com/start']);
  });

  it('follows allowed redirects, re-resolving each hop, up to the limit', async () => {
    const egress = redirecting({ 'https://api.example.com/1': 'https://hop.example.com/2', 'https://hop.example.com/2': '/3' });
    const response = await sendGuardedRequest({ url: 'https://api.example.com/1' }, { policy, adapters: egress.adapters });
    expect(new TextDecoder().decode(response.body)).toBe('landed');
    expect(response.url).toBe('https://hop.example.com/3');
    expect(response.redirects).toBe(2);
    expect(egress.lookedUp).toEqual(['api.example.com', 'hop.example.com', 'hop.example.com']);

    const loop = recordingEgress(DNS, (dial) => ({ status: 307, headers: { location: `${dial.url.pathname}x` } }));
    await expect(
      sendGuardedRequest({ url: 'https://api.example.com/' }, { policy, adapters: loop.adapters, limits: { maxRedirects: 5 } }),
    ).rejects.toBeInstanceOf(LimitExceeded);
    expect(loop.dialled).toHaveLength(6);
  });

  it('drops credentials when a redirect leaves the origin and turns a 303 POST into a GET', async () => {
    const egress = redirecting({ 'https://api.example.com/post': 'https://api.example.com/same', 'https://api.example.com/same': 'https://hop.example.com/other' });
    egress.adapters.connector = {
      dial: async (request) => {
        egress.dialled.push(request);
        const next = { 'https://api.example.com/post': 'https://api.example.com/same', 'https://api.example.com/same': 'https://hop.example.com/other' }[request.url.toString()];
        return { status: next ? 303 : 200, headers: next ? { location: next } : {}, body: (async function* () {})() };
      },
    };
    await sendGuardedRequest(
      { url: 'https://api.example.com/post', method: 'POST', body: '{"a":1}', headers: { authorization: 'Bearer planted-token', 'content-type': 'application/json' }, secretHeaders: { 'x-api-key': 'planted-key' } },
      { policy, adapters: egress.adapters },
    );
    const [first, second, third] = egress.dialled;
    expect(first!.headers['x-api-key']).toBe('planted-key');
    expect(first!.method).toBe('POST');
    expect(second!.method).toBe('GET');
    expect(second!.body).toBeUndefined();
    expect(second!.headers['x-api-key']).toBe('planted-key');
    expect(third!.headers['x-api-key']).toBeUndefined();
    expect(third!.headers.authorization).toBeUndefined();
  });

  it('asks for lazy secret headers only when a dial is due, and once', async () => {
    let asked = 0;
    const secretHeaders = async () => {
      asked++;
      return { 'x-api-key': 'planted-lazy' };
    };
    const refused = recordingEgress(DNS);
    await expect(sendGuardedRequest({ url: 'http://internal.example.com/', secretHeaders }, { policy, adapters: refused.adapters })).rejects.toBeInstanceOf(PolicyViolation);
    expect(asked).toBe(0);
    const egress = redirecting({ 'https://api.example.com/a': '/b' });
    await sendGuardedRequest({ url: 'https://api.example.com/a', secretHeaders }, { policy, adapters: egress.adapters });
    expect(asked).toBe(1);
    expect(egress.dialled.map((d) => d.headers['x-api-key'])).toEqual(['planted-lazy', 'planted-lazy']);
  });

  it('never puts secret header values, paths or queries into error messages', async () => {
    const egress = redirecting({ 'https://api.example.com/start?token=planted-query': 'http://127.0.0.1/?key=planted-redirect' });
    const error = await sendGuardedRequest(
      { url: 'https://api.example.com/start?token=planted-query', secretHeaders: { authorization: 'Bearer planted-secret' } },
      { policy, adapters: egress.adapters },
    ).catch((e: Error) => e);
    expect(String((error as Error).message)).not.toMatch(/planted/);
    expect(JSON.stringify(error)).not.toMatch(/planted/);
  });
});

describe('egress guard: limits with a scripted connector', () => {
  it('caps the body while it streams and honours a declared length', async () => {
    const chunk = new Uint8Array(1024);
    const egress = recordingEgress(DNS, () => ({ body: Array.from({ length: 100 }, () => chunk) }));
    await expect(
      sendGuardedRequest({ url: 'https://api.example.com/' }, { policy: open, adapters: egress.adapters, limits: { maxResponseBytes: 10_000 } }),
    ).rejects.toThrow(/larger than the 10000-byte limit/);
    const declared = recordingEgress(DNS, () => ({ headers: { 'content-length': '999999999' }, body: 'small' }));
    await expect(
      sendGuardedRequest({ url: 'https://api.example.com/' }, { policy: open, adapters: declared.adapters, limits: { maxResponseBytes: 10_000 } }),
    ).rejects.toBeInstanceOf(LimitExceeded);
  });

  it('times out even when the connector ignores the abort signal', async () => {
    const adapters: EgressAdapters = { resolver: { lookup: async () => [PUBLIC] }, connector: { dial: () => new Promise(() => {}) } };
    const started = Date.now();
    const error = await sendGuardedRequest({ url: 'https://api.example.com/' }, { policy: open, adapters, limits: { timeoutMs: 150 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamFailure);
    expect((error as UpstreamFailure).kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops when the caller aborts', async () => {
    const adapters: EgressAdapters = { resolver: { lookup: async () => [PUBLIC] }, connector: { dial: () => new Promise(() => {}) } };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await sendGuardedRequest({ url: 'https://api.example.com/' }, { policy: open, adapters, signal: controller.signal }).catch((e: unknown) => e);
    expect((error as UpstreamFailure).kind).toBe('cancelled');
  });
});

describe('egress guard against real loopback servers', () => {
  let server: Server;
  let port: number;
  const hits: string[] = [];
  const closedEarly: string[] = [];

  function handle(req: IncomingMessage, res: ServerResponse) {
    hits.push(`${req.method} ${req.url} host=${req.headers.host}`);
    if (req.url === '/hello') {
      res.setHeader('content-type', 'text/plain');
      res.end('hello from loopback');
    } else if (req.url === '/slow') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first bytes');
      // never ends
    } else if (req.url === '/huge') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const block = Buffer.alloc(64 * 1024, 97);
      let sent = 0;
      res.on('close', () => {
        if (!res.writableFinished) closedEarly.push('/huge');
      });
      const pump = () => {
        while (sent < 200 && !res.destroyed) {
          sent++;
          if (!res.write(block)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
    } else if (req.url === '/to-metadata') {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
      res.end();
    } else {
      res.writeHead(404).end();
    }
  }

  beforeAll(async () => {
    server = createServer(handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const loopbackAdapters = (): EgressAdapters => ({
    resolver: { lookup: async (host) => (host === 'model.cluster.local' ? ['127.0.0.1'] : []) },
    connector: nodeConnector,
  });
  const granted: EgressPolicy = { allowedHosts: ['model.cluster.local', '127.0.0.1'], allowPrivateAddresses: true };

  it('is not called without the operator grant', async () => {
    const before = hits.length;
    for (const url of [`http://127.0.0.1:${port}/hello`, `http://model.cluster.local:${port}/hello`]) {
      await expect(
        sendGuardedRequest({ url }, { policy: { ...granted, allowPrivateAddresses: false }, adapters: loopbackAdapters() }),
      ).rejects.toBeInstanceOf(PolicyViolation);
    }
    expect(hits.length).toBe(before);
  });

  it('is called through the vetted address, with the original Host, when the grant is held', async () => {
    const response = await sendGuardedRequest({ url: `http://model.cluster.local:${port}/hello` }, { policy: granted, adapters: loopbackAdapters() });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain');
    expect(new TextDecoder().decode(response.body)).toBe('hello from loopback');
    expect(hits.at(-1)).toBe(`GET /hello host=model.cluster.local:${port}`);
  });

  it('times out against a server that never finishes', async () => {
    const started = Date.now();
    const error = await sendGuardedRequest(
      { url: `http://127.0.0.1:${port}/slow` },
      { policy: granted, adapters: loopbackAdapters(), limits: { timeoutMs: 300 } },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamFailure);
    expect((error as UpstreamFailure).kind).toBe('timeout');
    expect((error as Error).message).toBe(`The request to http://127.0.0.1:${port} timed out after 300 ms.`);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('cuts a huge response off at the cap and drops the connection', async () => {
    const error = await sendGuardedRequest(
      { url: `http://127.0.0.1:${port}/huge` },
      { policy: granted, adapters: loopbackAdapters(), limits: { maxResponseBytes: 256 * 1024 } },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitExceeded);
    await expect.poll(() => closedEarly).toContain('/huge');
  });

  it('streams a body chunk by chunk under the cap', async () => {
    const response = await openGuardedRequest({ url: `http://127.0.0.1:${port}/hello` }, { policy: granted, adapters: loopbackAdapters() });
    let text = '';
    for await (const chunk of response.body) text += new TextDecoder().decode(chunk);
    expect(text).toBe('hello from loopback');
  });

  it('refuses a redirect from an allowed server to the metadata address, grant or not', async () => {
    await expect(
      sendGuardedRequest({ url: `http://127.0.0.1:${port}/to-metadata` }, { policy: { allowedHosts: ['*'], allowPrivateAddresses: true }, adapters: loopbackAdapters() }),
    ).rejects.toThrow('metadata');
  });
});

describe('egress guard over TLS to a loopback server', () => {
  const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test-fixtures');
  const cert = readFileSync(path.join(fixtures, 'loopback-tls-cert.pem'), 'utf8');
  let server: HttpsServer;
  let port: number;
  const servernames: (string | false | null)[] = [];

  beforeAll(async () => {
    server = createHttpsServer({ cert, key: readFileSync(path.join(fixtures, 'loopback-tls-key.pem'), 'utf8') }, (req, res) => {
      servernames.push((req.socket as TLSSocket).servername);
      res.end(`tls hello, host=${req.headers.host}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const adapters = (): EgressAdapters => ({
    resolver: { lookup: async (host) => (host.endsWith('.cluster.local') ? ['127.0.0.1'] : []) },
    connector: createNodeConnector({ ca: [cert] }),
  });
  const granted: EgressPolicy = { allowedHosts: ['*.cluster.local'], allowPrivateAddresses: true };

  it('dials the vetted address but presents and verifies the original name', async () => {
    const response = await sendGuardedRequest({ url: `https://model.cluster.local:${port}/v1/models` }, { policy: granted, adapters: adapters() });
    expect(new TextDecoder().decode(response.body)).toBe(`tls hello, host=model.cluster.local:${port}`);
    expect(servernames.at(-1)).toBe('model.cluster.local');
  });

  it('refuses a certificate that does not name the host, although the address is the same', async () => {
    const error = await sendGuardedRequest({ url: `https://other.cluster.local:${port}/` }, { policy: granted, adapters: adapters() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamFailure);
    expect((error as UpstreamFailure).kind).toBe('unreachable');
    expect((error as Error).message).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('does not trust the private certificate without the extra CA', async () => {
    const error = await sendGuardedRequest(
      { url: `https://model.cluster.local:${port}/` },
      { policy: granted, adapters: { ...adapters(), connector: nodeConnector } },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamFailure);
  });
});
