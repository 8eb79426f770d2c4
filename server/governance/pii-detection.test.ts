// The PII corpus: for each type, values that must be found and look-alikes that
// must not be (a Luhn-invalid card, a date shaped like a phone number, version
// strings that look like IP addresses, hex digests that look like keys…).
import { describe, expect, it } from 'vitest';
import { detectPii, entropyOf, ibanChecksumValid, luhnValid, redactAllPii, validSsnParts } from './pii-detection';
import type { PiiType } from './policy-document';

const CORPUS: Record<PiiType, { found: string[]; notFound: string[] }> = {
  email: {
    found: ['jane.doe@example.com', 'a+tag@mail.co.uk', 'x_y-z@sub.example.org', 'Jane.Doe@Example.COM'],
    notFound: ['user@localhost', '@mention', 'a@b', 'name@domain.', 'me@@example.com'],
  },
  phone: {
    found: ['+1 415 555 0132', '(415) 555-0132', '415-555-0132', '415.555.0132', '+44 20 7946 0958', '+49 30 12345678', '+33 1 23 45 67 89'],
    notFound: ['2024-01-15', '15.01.2024', '2024-01-15 10:30:00', '1234567890', '123-456-7890', 'version 212.555.0132', '+123', '3.14159265'],
  },
  payment_card: {
    found: ['4111 1111 1111 1111', '4111-1111-1111-1111', '5500 0000 0000 0004', '378282246310005', '6011111111111117', '4012888888881881'],
    notFound: ['4111 1111 1111 1112', '1234 5678 9012 3456', '0000 0000 0000 0000', '4111 11 11 1111 1111', '41111111111111111111111', '1 2 3 4 5 6 7 8 9 0 1 2 3 4'],
  },
  iban: {
    found: ['DE89 3704 0044 0532 0130 00', 'DE89370400440532013000', 'GB82 WEST 1234 5698 7654 32', 'NL91ABNA0417164300', 'FR1420041010050500013M02606'],
    notFound: ['DE89 3704 0044 0532 0130 01', 'GB82 WEST 1234 5698 7654 33', 'XX89370400440532013000', 'DE8937040044053201300', 'NL91ABNA04171643001'],
  },
  us_ssn: {
    found: ['536-22-8451', '536 22 8451', '001-01-0001', '899-99-9999'],
    notFound: ['000-12-3456', '666-12-3456', '900-12-3456', '536-00-8451', '536-22-0000', '078-05-1120', '536-22-84512', '536-22-8451-7'],
  },
  ip_address: {
    found: ['192.168.1.20', '8.8.8.8', '10.0.0.1', '2001:db8::ff00:42:8329', 'fe80::1ff:fe23:4567:890a', '::1', '2001:0db8:0000:0000:0000:ff00:0042:8329'],
    notFound: ['version 1.2.3.4', 'v2.10.3.1', '1.2.3', '999.10.10.10', '1.2.3.4.5', '192.168.001.001', '12:30:45', 'std::vector', 'release 10.0.0.1'],
  },
  secret: {
    found: [
      'sk-proj-abcDEF1234567890ghijklmnop',
      'sk-ant-api03-AbCdEf0123456789AbCdEf0123',
      'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
      'AKIAIOSFODNN7EXAMPLE',
      'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789',
      'xoxb-123456789012-abcdefghijkl',
      'xY7pQ2mN9vR4tK8wL3zB6cF1hJ5dG0sA',
    ],
    notFound: [
      '550e8400-e29b-41d4-a716-446655440000',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'ThisIsAVeryLongCamelCaseIdentifierName12',
      'sk-short',
      'the_quick_brown_fox_jumps_over_the_lazy_dog_again',
      '/usr/local/lib/node_modules/typescript/lib/tsc.js',
      '/srv/app/node_modules/tsx/dist/register-D46fvsV2.cjs',
    ],
  },
};

describe('the PII corpus', () => {
  for (const [type, { found, notFound }] of Object.entries(CORPUS) as [PiiType, (typeof CORPUS)[PiiType]][]) {
    describe(type, () => {
      it.each(found)('finds %s in a sentence', (value) => {
        const text = `Please note: ${value}, thanks.`;
        expect(detectPii(text).map((d) => [d.type, d.value])).toEqual([[type, value]]);
      });
      it.each(notFound)('finds nothing of this type in %s', (value) => {
        expect(detectPii(`Please note: ${value}, thanks.`).filter((d) => d.type === type)).toEqual([]);
      });
    });
  }
});

describe('detection', () => {
  it('reports positions in order and without overlaps in mixed text', () => {
    const text = 'Mail jane@example.com or call +1 415 555 0132; IBAN DE89 3704 0044 0532 0130 00 from 192.168.1.20.';
    const found = detectPii(text);
    expect(found.map((d) => d.type)).toEqual(['email', 'phone', 'iban', 'ip_address']);
    for (const d of found) expect(text.slice(d.start, d.end)).toBe(d.value);
  });

  it('prefers the whole IBAN over a card-like run of its digits', () => {
    expect(detectPii('IBAN DE89 3704 0044 0532 0130 00').map((d) => d.type)).toEqual(['iban']);
  });

  it('finds an IPv4 address inside an IPv6 mapped address only once', () => {
    expect(detectPii('from ::ffff:192.0.2.128 today').map((d) => [d.type, d.value])).toEqual([['ip_address', '::ffff:192.0.2.128']]);
  });

  it('can look for some types only', () => {
    expect(detectPii('jane@example.com 8.8.8.8', new Set(['ip_address'])).map((d) => d.type)).toEqual(['ip_address']);
  });

  it('leaves placeholders alone', () => {
    expect(detectPii('[EMAIL_1] wrote to [PHONE_2] about [CARD_3]')).toEqual([]);
  });

  it('redacts everything for logs with bare tags', () => {
    expect(redactAllPii('user jane@example.com from 10.0.0.1 key AKIAIOSFODNN7EXAMPLE')).toBe('user [EMAIL] from [IP] key [SECRET]');
    expect(redactAllPii('listening on 127.0.0.1 and ::1')).toBe('listening on 127.0.0.1 and ::1');
  });
});

describe('checksums', () => {
  it('Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
  });
  it('IBAN mod 97', () => {
    expect(ibanChecksumValid('DE89370400440532013000')).toBe(true);
    expect(ibanChecksumValid('DE88370400440532013000')).toBe(false);
  });
  it('SSN area, group and serial', () => {
    expect(validSsnParts('536', '22', '8451')).toBe(true);
    expect(validSsnParts('666', '22', '8451')).toBe(false);
    expect(validSsnParts('950', '22', '8451')).toBe(false);
    expect(validSsnParts('536', '00', '8451')).toBe(false);
    expect(validSsnParts('536', '22', '0000')).toBe(false);
  });
  it('entropy of random and repetitive text', () => {
    expect(entropyOf('aaaaaaaa')).toBe(0);
    expect(entropyOf('xY7pQ2mN9vR4tK8wL3zB6cF1hJ5dG0sA')).toBeGreaterThan(4.5);
  });
});
