// How large a request body each route may send, in one table, and the cap that
// enforces it while the body streams — whatever its framing (Content-Length or
// chunked) — so no route, Next.js's and next-auth's included, can be made to
// buffer more than its limit.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_UPLOAD_BYTES } from '../knowledge/document-formats';

/** Every route's cap unless a prefix below declares a larger one. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/** Routes that need more (longest matching prefix wins), e.g. future uploads. */
const ROUTE_BODY_LIMITS: { prefix: string; bytes: number }[] = [
  // The largest document any format allows, plus room for the multipart framing and fields.
  { prefix: '/api/knowledge/upload', bytes: MAX_UPLOAD_BYTES + 64 * 1024 },
];

export function bodyLimitFor(pathname: string): number {
  const match = ROUTE_BODY_LIMITS.filter((route) => pathname.startsWith(route.prefix)).sort(
    (a, b) => b.prefix.length - a.prefix.length,
  )[0];
  return match?.bytes ?? DEFAULT_BODY_LIMIT_BYTES;
}

/** Answers 413 and closes the connection shortly after the answer is out (the rest of the body is discarded, never buffered). */
/** How long a refused connection keeps discarding what the client still sends, so the client can read the 413. */
const LINGER_MS = 2_000;

function refuse(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket;
  // Closing a socket with unread input resets it, and a client still sending
  // would lose the 413 to that reset. So once the answer is out: half-close,
  // keep discarding input (nothing is buffered) and drop the connection soon.
  res.on('finish', () => {
    socket.end();
    socket.resume();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
  if (res.headersSent) return void socket.destroy();
  res.writeHead(413, { 'content-type': 'application/json', 'cache-control': 'no-store', connection: 'close' });
  res.end(JSON.stringify({ error: { message: 'Request body too large' } }));
}

/**
 * Caps `req` at `limit` bytes. A declared length over the limit is refused at
 * once; otherwise every chunk a reader takes is counted, and the one that
 * crosses the limit is never delivered: the reader gets an error instead, the
 * client a 413, and the connection is closed shortly after that answer is out;
 * what still arrives is dropped, so memory stays bounded by the limit plus one
 * chunk. Returns false when the request was refused outright.
 */
export function capRequestBody(req: IncomingMessage, res: ServerResponse, limit: number): boolean {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    refuse(req, res);
    return false;
  }
  let received = 0;
  let exceeded = false;
  const emit = req.emit.bind(req);
  // Counting at emit sees every chunk however the reader consumes the stream
  // (flowing, read(), async iteration) without changing its mode.
  req.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'data') {
      if (exceeded) return false;
      received += (args[0] as Buffer).length;
      if (received > limit) {
        exceeded = true;
        refuse(req, res);
        return emit('error', Object.assign(new Error('Request body too large'), { status: 413 }));
      }
    }
    if (event === 'end' && exceeded) return false;
    return emit(event, ...args);
  }) as typeof req.emit;
  return true;
}
