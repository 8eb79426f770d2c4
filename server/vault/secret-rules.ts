// What a secret's name and value may be. Shared by the domain (which enforces
// it) and the API schemas (which report it per field); the messages never
// repeat the value.

export const SECRET_NAME_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
export const SECRET_NAME_RULE = 'Use 1–64 capital letters, digits or underscores, starting with a letter (e.g. OPENAI_API_KEY)';
/** Values are measured in UTF-8 bytes. */
export const MAX_SECRET_VALUE_BYTES = 8192;

/** Why `value` cannot be stored, or null when it can. */
export function secretValueProblem(value: string): string | null {
  if (value.length === 0) return 'Enter a value';
  if (value.includes('\0')) return 'The value cannot contain NUL characters';
  if (Buffer.byteLength(value, 'utf8') > MAX_SECRET_VALUE_BYTES) return `Use at most ${MAX_SECRET_VALUE_BYTES} bytes`;
  return null;
}
