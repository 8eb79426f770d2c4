// The header set per deployment: https adds HSTS and upgrades, dev mode alone allows eval.
import { describe, expect, it } from 'vitest';
import { bodyLimitFor, DEFAULT_BODY_LIMIT_BYTES } from './body-limits';
import { isApiPath, newNonce, securityHeaders } from './security-headers';

describe('securityHeaders', () => {
  it('forbids framing and pins scripts to the nonce', () => {
    const nonce = newNonce();
    const headers = securityHeaders({ nonce, dev: false, https: false });
    expect(headers['content-security-policy']).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).not.toContain('unsafe-eval');
    expect(headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(headers['strict-transport-security']).toBeUndefined();
    expect(headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'strict-origin-when-cross-origin',
    });
  });

  it('adds HSTS and upgrades behind https', () => {
    const headers = securityHeaders({ nonce: newNonce(), dev: false, https: true });
    expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });

  it('allows eval and websockets only in dev mode (fast refresh)', () => {
    const csp = securityHeaders({ nonce: newNonce(), dev: true, https: false })['content-security-policy'];
    expect(csp).toContain("'unsafe-eval'");
    expect(csp).toContain('connect-src \'self\' ws: wss:');
  });

  it('makes a fresh nonce each time', () => {
    expect(newNonce()).not.toBe(newNonce());
  });
});

describe('route tables', () => {
  it('API paths are recognised exactly', () => {
    expect(isApiPath('/api/trpc/account.me')).toBe(true);
    expect(isApiPath('/api')).toBe(true);
    expect(isApiPath('/apis')).toBe(false);
    expect(isApiPath('/w/acme')).toBe(false);
  });

  it('every route has the default body cap unless it declares more', () => {
    expect(bodyLimitFor('/api/auth/callback/credentials')).toBe(DEFAULT_BODY_LIMIT_BYTES);
    expect(bodyLimitFor('/w/acme/settings')).toBe(DEFAULT_BODY_LIMIT_BYTES);
  });
});
