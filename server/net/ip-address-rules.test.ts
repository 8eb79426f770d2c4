// The address rules on their own: every special-purpose range is refused, public
// unicast passes, the operator grant opens private ranges but never metadata.
import { describe, expect, it } from 'vitest';
import { addressRefusal, classifyAddress, parseIpAddress, parseLegacyIpv4 } from './ip-address-rules';

function refusal(text: string, allowPrivate = false) {
  const parsed = parseIpAddress(text);
  if (!parsed) throw new Error(`test address ${text} did not parse`);
  return addressRefusal(parsed, allowPrivate);
}

describe('ip address rules', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.20.30.40', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:8.8.8.8', 'IPv4-mapped'],
    ['::ffff:7f00:1', 'IPv4-mapped'],
    ['::127.0.0.1', 'IPv4-compatible'],
    ['64:ff9b::a9fe:a9fe', 'NAT64'],
    ['64:ff9b:1::1', 'NAT64'],
    ['fd00:ec2::254', 'metadata'],
    ['fd12:3456::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['2002:7f00:1::1', '6to4'],
    ['2001:0:4136:e378::1', 'Teredo'],
  ])('refuses %s (%s)', (address, label) => {
    expect(refusal(address)?.label).toContain(label);
  });

  it.each(['8.8.8.8', '93.184.216.34', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e'])(
    'lets public %s through',
    (address) => {
      expect(refusal(address)).toBeNull();
    },
  );

  it('opens private ranges only under the operator grant, never metadata, unspecified or multicast', () => {
    for (const address of ['127.0.0.1', '10.0.0.1', '192.168.0.10', '100.64.1.1', '::1', 'fd12::1', 'fe80::1']) {
      expect(refusal(address, true)).toBeNull();
    }
    for (const address of ['169.254.169.254', 'fd00:ec2::254', '100.100.100.200', '0.0.0.0', '::', '224.0.0.1', '::ffff:127.0.0.1']) {
      expect(refusal(address, true)?.kind).toBe('forbidden');
    }
  });

  it('reads the legacy IPv4 spellings as inet_aton does', () => {
    expect(parseLegacyIpv4('2130706433')).toBe('127.0.0.1');
    expect(parseLegacyIpv4('0x7f.1')).toBe('127.0.0.1');
    expect(parseLegacyIpv4('017700000001')).toBe('127.0.0.1');
    expect(parseLegacyIpv4('0x7f000001')).toBe('127.0.0.1');
    expect(parseLegacyIpv4('127.1')).toBe('127.0.0.1');
    expect(parseLegacyIpv4('0251.0376.0251.0376')).toBe('169.254.169.254');
    expect(parseLegacyIpv4('10.0x10.1')).toBe('10.16.0.1');
    expect(parseLegacyIpv4('example.com')).toBeNull();
    expect(parseLegacyIpv4('4294967296')).toBeNull();
    expect(parseLegacyIpv4('08.1.1.1')).toBeNull();
  });

  it('parses bracketed IPv6 to a canonical form and refuses zone ids', () => {
    expect(parseIpAddress('[::1]')?.canonical).toBe('0:0:0:0:0:0:0:1');
    expect(parseIpAddress('fe80::1%eth0')).toBeNull();
    expect(parseIpAddress('not-an-ip')).toBeNull();
    expect(classifyAddress(parseIpAddress('fd00:ec2:0::254')!)?.label).toContain('metadata');
  });
});
