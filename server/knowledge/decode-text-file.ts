// Bytes of a text upload (plain text, Markdown, HTML) to a string: UTF-8, or
// UTF-16 when a byte-order mark says so. Invalid encodings are refused, not guessed.
import { InvalidInput } from '../domain-errors';

export function decodeTextFile(bytes: Uint8Array): string {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  try {
    // The decoder drops the byte-order mark itself.
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidInput('The file is not valid UTF-8 text.', 'file');
  }
}
