import { describe, expect, it } from 'vitest';
import { safeCallbackUrl } from './safe-callback';

describe('safeCallbackUrl', () => {
  it('keeps same-site paths with their query and hash', () => {
    expect(safeCallbackUrl('/w/acme/members?tab=pending#top')).toBe('/w/acme/members?tab=pending#top');
    expect(safeCallbackUrl('/invite/abc')).toBe('/invite/abc');
  });

  it.each([
    'https://evil.example',
    '//evil.example',
    '/\\evil.example',
    '/\t/evil.example',
    '/.//evil.example',
    '/..//evil.example',
    '/%2e//evil.example',
    '/a/..//evil.example',
    'javascript:alert(1)',
    'evil.example',
    '',
  ])('falls back for %j', (value) => {
    expect(safeCallbackUrl(value, '/home')).toBe('/home');
  });

  it('falls back when there is no value', () => {
    expect(safeCallbackUrl(null)).toBe('/');
    expect(safeCallbackUrl(undefined, '/new')).toBe('/new');
  });
});
