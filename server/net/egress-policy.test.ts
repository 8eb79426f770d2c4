// Allow-list entries as a workspace admin types them, and how hosts match them.
import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../domain-errors';
import { hostIsAllowed, normaliseHostPattern, vetUrl } from './egress-policy';

describe('egress policy', () => {
  it('normalises allow-list entries and refuses nonsense with a field name', () => {
    expect(normaliseHostPattern(' API.Example.com. ')).toBe('api.example.com');
    expect(normaliseHostPattern('*.Partner.io')).toBe('*.partner.io');
    expect(normaliseHostPattern('*')).toBe('*');
    expect(normaliseHostPattern('[::1]')).toBe('0:0:0:0:0:0:0:1');
    for (const bad of ['http://example.com', 'exa mple.com', '*.*.com', 'a*.example.com', '', 'example.com/path']) {
      const error = (() => {
        try {
          normaliseHostPattern(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(InvalidInput);
      expect((error as InvalidInput).field).toBe('allowedHosts');
    }
  });

  it('matches exact hosts and subdomain wildcards, never the apex or look-alikes', () => {
    const list = ['api.example.com', '*.partner.io'];
    expect(hostIsAllowed('api.example.com', list)).toBe(true);
    expect(hostIsAllowed('a.b.partner.io', list)).toBe(true);
    expect(hostIsAllowed('partner.io', list)).toBe(false);
    expect(hostIsAllowed('evilpartner.io', list)).toBe(false);
    expect(hostIsAllowed('api.example.com.evil.net', list)).toBe(false);
  });

  it('reads hosts the way the dialler will: case, trailing dots, brackets, numeric spellings', () => {
    const policy = { allowedHosts: ['API.example.com.', '127.0.0.1', '::1'], allowPrivateAddresses: true };
    expect(vetUrl('https://api.EXAMPLE.com../x', policy).host).toBe('api.example.com');
    expect(vetUrl('http://0x7f.0.0.1:8080/', policy)).toMatchObject({ host: '127.0.0.1', literalAddress: '127.0.0.1', port: 8080 });
    expect(vetUrl('http://[0:0::1]/', policy).literalAddress).toBe('0:0:0:0:0:0:0:1');
    expect(vetUrl('https://api.example.com/', policy).port).toBe(443);
  });
});
