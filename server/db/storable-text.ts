// Text as Postgres can store it. A text or jsonb column refuses a NUL character
// and jsonb a lone surrogate, so a tool result or model answer holding either
// would fail the write of its step and with it the run; each becomes U+FFFD,
// the replacement character, at the point the value enters the run.

// NUL, and a high surrogate without its low half or a low one without its high half.
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function storableText(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

/** `value` with every string in it (object keys included, however deep) made storable; other values unchanged. */
export function storable<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => storable(item)) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [storableText(key), storable(item)])) as T;
}
