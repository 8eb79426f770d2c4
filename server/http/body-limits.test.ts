// The body cap over a real HTTP socket: a chunked body (no Content-Length) past
// the limit is refused with 413 while it streams, without the process buffering it.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capRequestBody } from './body-limits';

const LIMIT = 1024 * 1024;

async function readAll(req: IncomingMessage): Promise<number> {
  let total = 0;
  for await (const chunk of req) total += (chunk as Buffer).length;
  return total;
}

let server: Server;
let port: number;
let handlerErrors: string[] = [];

beforeAll(async () => {
  // Stands in for a route that reads its whole body, as tRPC and next-auth do.
  server = createServer((req, res) => {
    if (!capRequestBody(req, res, LIMIT)) return;
    readAll(req).then(
      (bytes) => res.end(JSON.stringify({ bytes })),
      (error: Error) => void handlerErrors.push(error.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

type Answer = { status: number; body: string; sent: number };

/** Streams `total` bytes in 64 KiB chunks, chunked unless `declare` sends a Content-Length. */
function send(total: number, declare = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/trpc/x',
      headers: declare ? { 'content-length': String(total) } : {},
    });
    let sent = 0;
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sent }));
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, 120);
    const pump = () => {
      while (sent < total && !answered) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('capRequestBody', () => {
  it('lets a chunked body under the limit through whole', async () => {
    const answer = await send(512 * 1024);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ bytes: 512 * 1024 });
  });

  it('refuses a 64 MB chunked body with 413 while it streams, memory bounded', async () => {
    handlerErrors = [];
    global.gc?.();
    const before = process.memoryUsage().rss;
    const answer = await send(64 * 1024 * 1024);
    const grown = process.memoryUsage().rss - before;
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ error: { message: 'Request body too large' } });
    // The server stopped reading near the limit: the client never got to send all 64 MB.
    expect(answer.sent).toBeLessThan(32 * 1024 * 1024);
    expect(grown).toBeLessThan(48 * 1024 * 1024);
    expect(handlerErrors).toEqual(['Request body too large']);
  });

  it('refuses a declared Content-Length over the limit before reading', async () => {
    const answer = await send(LIMIT + 1, true);
    expect(answer.status).toBe(413);
  });

  it('accepts a body of exactly the limit', async () => {
    const answer = await send(LIMIT, true);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ bytes: LIMIT });
  });
});
