import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IntegrityError, open, seal, type Sealed } from './aes-gcm';

const key = randomBytes(32);
const context = 'enclave:secret:v1:workspace:NAME';

function flipped(bytes: Uint8Array<ArrayBuffer>, at = 0): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

describe('AES-256-GCM sealing', () => {
  it('round-trips, with a fresh IV each time', () => {
    const plaintext = Buffer.from('sk-live-ünïcødé-value', 'utf8');
    const a = seal(key, plaintext, context);
    const b = seal(key, plaintext, context);
    expect(Buffer.from(a.iv).equals(Buffer.from(b.iv))).toBe(false);
    expect(Buffer.from(a.ciphertext).equals(Buffer.from(b.ciphertext))).toBe(false);
    expect(Buffer.from(a.ciphertext).includes(plaintext)).toBe(false);
    expect(open(key, a, context, 'Secret').toString('utf8')).toBe('sk-live-ünïcødé-value');
    expect(a.iv).toHaveLength(12);
    expect(a.tag).toHaveLength(16);
  });

  it('refuses a tampered ciphertext, tag or IV, a truncated tag, another context and another key', () => {
    const sealed = seal(key, Buffer.from('value'), context);
    const variants: [string, () => Buffer][] = [
      ['ciphertext', () => open(key, { ...sealed, ciphertext: flipped(sealed.ciphertext) }, context, 'Secret')],
      ['tag', () => open(key, { ...sealed, tag: flipped(sealed.tag, 15) }, context, 'Secret')],
      ['iv', () => open(key, { ...sealed, iv: flipped(sealed.iv, 11) }, context, 'Secret')],
      ['short tag', () => open(key, { ...sealed, tag: sealed.tag.slice(0, 8) } as Sealed, context, 'Secret')],
      ['context', () => open(key, sealed, 'enclave:secret:v1:workspace:OTHER', 'Secret')],
      ['key', () => open(randomBytes(32), sealed, context, 'Secret')],
    ];
    for (const [what, attempt] of variants) {
      expect(attempt, what).toThrow(IntegrityError);
      expect(attempt, what).toThrow('Secret failed its integrity check');
    }
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => seal(randomBytes(16), Buffer.from('v'), context)).toThrow('32-byte key');
  });
});
