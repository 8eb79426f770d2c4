// AES-256-GCM sealing with a random 96-bit IV and a 128-bit tag, bound to
// associated data that names what the bytes are for, so ciphertext moved to
// another row, workspace or purpose fails to open just like tampered bytes.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Plain byte arrays, as the database client stores them. */
export type Sealed = { ciphertext: Uint8Array<ArrayBuffer>; iv: Uint8Array<ArrayBuffer>; tag: Uint8Array<ArrayBuffer> };

const ALGORITHM = 'aes-256-gcm';
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Encrypted bytes that fail authentication: tampered, moved, or under another key. Says nothing of the content. */
export class IntegrityError extends Error {
  constructor(what: string) {
    super(`${what} failed its integrity check`);
    this.name = 'IntegrityError';
  }
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error(`AES-256-GCM needs a ${KEY_BYTES}-byte key`);
}

export function seal(key: Buffer, plaintext: Buffer, associatedData: string): Sealed {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext: new Uint8Array(ciphertext), iv: new Uint8Array(iv), tag: new Uint8Array(cipher.getAuthTag()) };
}

/** The plaintext, or IntegrityError (naming `what`) if anything about the sealed bytes is off. */
export function open(key: Buffer, sealed: Sealed, associatedData: string, what: string): Buffer {
  assertKey(key);
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) throw new IntegrityError(what);
  try {
    const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    throw new IntegrityError(what);
  }
}
