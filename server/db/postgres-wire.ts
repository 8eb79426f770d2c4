// The few pieces of the PostgreSQL wire protocol (v3) the embedded database's
// gate speaks itself: the untyped start-up packets, the password exchange, error
// responses, and a scanner that follows typed messages across chunk boundaries.
export const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Larger start-up packets are refused (PostgreSQL's own limit is 10000 bytes). */
const MAX_STARTUP_LENGTH = 10_000;

export type StartupPacket =
  | { kind: 'incomplete' }
  | { kind: 'invalid' }
  | { kind: 'encryption-request'; length: number }
  | { kind: 'cancel-request'; length: number }
  | { kind: 'unsupported-protocol'; length: number }
  | { kind: 'startup'; length: number; parameters: Record<string, string> };

/** Reads the untyped packet a client sends first (or after an encryption request was declined). */
export function readStartupPacket(buffer: Buffer): StartupPacket {
  if (buffer.length < 8) return { kind: 'incomplete' };
  const length = buffer.readInt32BE(0);
  if (length < 8 || length > MAX_STARTUP_LENGTH) return { kind: 'invalid' };
  if (buffer.length < length) return { kind: 'incomplete' };
  const code = buffer.readInt32BE(4);
  if (code === SSL_REQUEST || code === GSSENC_REQUEST) return { kind: 'encryption-request', length };
  if (code === CANCEL_REQUEST) return { kind: 'cancel-request', length };
  if (code !== PROTOCOL_3) return { kind: 'unsupported-protocol', length };
  const fields = buffer.subarray(8, length).toString('utf8').split('\0');
  const parameters: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length && fields[i]; i += 2) parameters[fields[i]!] = fields[i + 1]!;
  return { kind: 'startup', length, parameters };
}

/** A typed message: one type byte, then an int32 length that counts itself and the body. */
function typedMessage(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

export function authenticationCleartextPassword(): Buffer {
  const body = Buffer.alloc(4);
  body.writeInt32BE(3, 0);
  return typedMessage('R', body);
}

export function errorResponse(severity: 'ERROR' | 'FATAL', code: string, message: string): Buffer {
  const field = (tag: string, value: string) => Buffer.from(`${tag}${value}\0`, 'utf8');
  return typedMessage(
    'E',
    Buffer.concat([field('S', severity), field('V', severity), field('C', code), field('M', message), Buffer.from([0])]),
  );
}

export type PasswordMessage = { kind: 'incomplete' } | { kind: 'invalid' } | { kind: 'password'; length: number; password: Buffer };

/** The client's answer to an authentication request: 'p', length, password, NUL. */
export function readPasswordMessage(buffer: Buffer): PasswordMessage {
  if (buffer.length < 1) return { kind: 'incomplete' };
  if (buffer[0] !== 0x70) return { kind: 'invalid' };
  if (buffer.length < 5) return { kind: 'incomplete' };
  const length = buffer.readInt32BE(1) + 1;
  if (length < 6 || length > MAX_STARTUP_LENGTH) return { kind: 'invalid' };
  if (buffer.length < length) return { kind: 'incomplete' };
  const body = buffer.subarray(5, length);
  if (body[body.length - 1] !== 0) return { kind: 'invalid' };
  return { kind: 'password', length, password: body.subarray(0, body.length - 1) };
}

/**
 * Follows a stream of typed messages chunk by chunk without buffering their
 * bodies, reporting each message's type and first body byte (ReadyForQuery's
 * transaction status) once the message has fully passed.
 */
export class MessageScanner {
  private readonly header = Buffer.alloc(5);
  private headerFilled = 0;
  private bodyLeft = 0;
  private firstBodyByte: number | undefined;
  private skipLeft: number;

  /** @param skip bytes at the start of the stream that are not typed messages (an already-read start-up packet). */
  constructor(
    private readonly onMessage: (type: string, firstBodyByte: number | undefined) => void,
    skip = 0,
  ) {
    this.skipLeft = skip;
  }

  scan(chunk: Uint8Array): void {
    let at = 0;
    if (this.skipLeft > 0) {
      at = Math.min(this.skipLeft, chunk.length);
      this.skipLeft -= at;
    }
    while (at < chunk.length) {
      if (this.headerFilled < 5) {
        const take = Math.min(5 - this.headerFilled, chunk.length - at);
        this.header.set(chunk.subarray(at, at + take), this.headerFilled);
        this.headerFilled += take;
        at += take;
        if (this.headerFilled < 5) return;
        this.bodyLeft = Math.max(0, this.header.readInt32BE(1) - 4);
        this.firstBodyByte = undefined;
      }
      if (this.bodyLeft > 0) {
        if (this.firstBodyByte === undefined && at < chunk.length) this.firstBodyByte = chunk[at];
        const take = Math.min(this.bodyLeft, chunk.length - at);
        this.bodyLeft -= take;
        at += take;
      }
      if (this.bodyLeft === 0) {
        this.headerFilled = 0;
        this.onMessage(String.fromCharCode(this.header[0]!), this.firstBodyByte);
      }
    }
  }
}
