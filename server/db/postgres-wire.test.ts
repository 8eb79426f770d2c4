// The gate's wire reading: start-up packets, password answers, and typed
// messages followed across any chunk boundaries.
import { describe, expect, it } from 'vitest';
import { MessageScanner, PROTOCOL_3, readPasswordMessage, readStartupPacket } from './postgres-wire';

function typed(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

describe('postgres wire', () => {
  it('reads a start-up packet only once it is complete', () => {
    const body = Buffer.from('user\0enclave\0database\0postgres\0\0');
    const packet = Buffer.alloc(8 + body.length);
    packet.writeInt32BE(packet.length, 0);
    packet.writeInt32BE(PROTOCOL_3, 4);
    body.copy(packet, 8);
    expect(readStartupPacket(packet.subarray(0, 12))).toEqual({ kind: 'incomplete' });
    expect(readStartupPacket(packet)).toEqual({
      kind: 'startup',
      length: packet.length,
      parameters: { user: 'enclave', database: 'postgres' },
    });
    const huge = Buffer.alloc(8);
    huge.writeInt32BE(1 << 20, 0);
    expect(readStartupPacket(huge)).toEqual({ kind: 'invalid' });
  });

  it('reads a password answer and refuses any other message in its place', () => {
    const answer = typed('p', Buffer.from('s3cret\0'));
    expect(readPasswordMessage(answer.subarray(0, 4))).toEqual({ kind: 'incomplete' });
    expect(readPasswordMessage(answer)).toMatchObject({ kind: 'password', length: answer.length });
    expect((readPasswordMessage(answer) as { password: Buffer }).password.toString()).toBe('s3cret');
    expect(readPasswordMessage(typed('Q', Buffer.from('SELECT 1\0')))).toEqual({ kind: 'invalid' });
  });

  it('follows messages split at every possible byte, after a skipped prefix', () => {
    const stream = Buffer.concat([
      Buffer.from('startup!'),
      typed('T', Buffer.alloc(300, 1)),
      typed('Z', Buffer.from('T')),
      typed('C', Buffer.from('BEGIN\0')),
      typed('Z', Buffer.from('E')),
      typed('Z', Buffer.from('I')),
    ]);
    const expected = [['T', 1], ['Z', 0x54], ['C', 0x42], ['Z', 0x45], ['Z', 0x49]];
    for (let size = 1; size <= stream.length; size += size < 8 ? 1 : 37) {
      const seen: Array<[string, number | undefined]> = [];
      const scanner = new MessageScanner((type, first) => seen.push([type, first]), 8);
      for (let at = 0; at < stream.length; at += size) scanner.scan(stream.subarray(at, at + size));
      expect(seen).toEqual(expected);
    }
  });
});
