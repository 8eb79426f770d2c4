// Only same-site relative paths are followed after sign-in (no open redirects).
export function safeCallbackUrl(value: string | null | undefined, fallback = '/'): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  return value;
}
