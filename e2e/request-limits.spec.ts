// Request bodies are capped while they stream, whatever their framing: a
// chunked body (no Content-Length) past 1 MiB is refused with 413 on every
// kind of route — tRPC, next-auth, pages — and the app keeps answering.
import { request as httpRequest } from 'node:http';
import { expect, test } from './support/test';

type Answer = { status: number; body: string; sentBytes: number };

/** Streams `total` bytes chunked (Node omits Content-Length when none is set) until the server answers. */
function streamChunked(baseURL: string, path: string, total: number, headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(path, baseURL);
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      method: 'POST',
      path: url.pathname,
      headers: { 'content-type': 'application/json', ...headers },
    });
    let sentBytes = 0;
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sentBytes }));
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, 97);
    const pump = () => {
      while (sentBytes < total && !answered) {
        sentBytes += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

const OVERSIZE = 64 * 1024 * 1024;

// The upload route's larger cap holds too.
const CAPPED: { path: string; headers?: Record<string, string> }[] = [
  { path: '/api/trpc/account.signUp' },
  { path: '/api/auth/callback/credentials' },
  { path: '/api/knowledge/upload', headers: { 'content-type': 'multipart/form-data; boundary=x' } },
];

for (const { path, headers } of CAPPED) {
  test(`a 64 MB chunked body to ${path} is refused with 413 as it streams`, async ({ baseURL }) => {
    const answer = await streamChunked(baseURL!, path, OVERSIZE, headers);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ error: { message: 'Request body too large' } });
    // Refused near the limit, long before the whole body was sent.
    expect(answer.sentBytes).toBeLessThan(OVERSIZE / 2);
  });
}

test('after oversized bodies the app still answers', async ({ baseURL, request }) => {
  // The refusal itself is the tests above; here the server may reset the connection before its 413 is read.
  await streamChunked(baseURL!, '/api/trpc/account.signUp', OVERSIZE).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') throw error;
  });
  expect((await request.get('/api/health')).status()).toBe(200);
  const small = await new Promise<number>((resolve, reject) => {
    const url = new URL('/api/trpc/invitations.preview?input=' + encodeURIComponent(JSON.stringify({ json: { token: 'x'.repeat(43) } })), baseURL);
    const req = httpRequest({ host: url.hostname, port: url.port, method: 'GET', path: url.pathname + url.search });
    req.on('response', (res) => resolve(res.statusCode ?? 0));
    req.on('error', reject);
    req.end();
  });
  expect(small).toBe(404);
});
