// Only same-site paths are followed after sign-in (no open redirects): the value
// is resolved against a placeholder origin and refused if it escapes it, which
// also catches "//host", "/\host" and tab/newline tricks browsers normalise away.
const PLACEHOLDER = 'http://enclave.invalid';

export function safeCallbackUrl(value: string | null | undefined, fallback = '/'): string {
  if (!value || !value.startsWith('/')) return fallback;
  try {
    const url = new URL(value, PLACEHOLDER);
    // A path that itself starts with "//" (e.g. from "/.//host") reads as another origin.
    if (url.origin !== PLACEHOLDER || url.pathname.startsWith('//')) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
