// Finds personal data and secrets in text: emails, phone numbers, payment cards
// (Luhn), IBANs (mod-97), US SSNs (area/group/serial rules), IPv4/IPv6 addresses
// and API-key-like secrets. Candidates are found by pattern and kept only when
// their checksum or structure holds; overlapping finds keep the longest.
import { isIPv4, isIPv6 } from 'node:net';
import type { PiiType } from './policy-document';

export type PiiDetection = { type: PiiType; start: number; end: number; value: string };

/** What the policy UI and error messages call each type (never the value). */
export const PII_LABELS: Record<PiiType, string> = {
  email: 'email address',
  phone: 'phone number',
  payment_card: 'payment card number',
  iban: 'IBAN',
  us_ssn: 'US social security number',
  ip_address: 'IP address',
  secret: 'secret (API key or token)',
};

/** The tag of a type's placeholders, e.g. [EMAIL_1]. */
export const PII_TAGS: Record<PiiType, string> = {
  email: 'EMAIL',
  phone: 'PHONE',
  payment_card: 'CARD',
  iban: 'IBAN',
  us_ssn: 'SSN',
  ip_address: 'IP',
  secret: 'SECRET',
};

type Finder = {
  type: PiiType;
  pattern: RegExp;
  accept: (value: string, text: string, start: number) => boolean;
  /** The part of the match that is the value (default: all of it). */
  trim?: (value: string) => string;
};

const EMAIL = /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/g;

// International numbers with a leading +, or North American 3-3-4 groups; bare digit
// runs are not phones (they are ids, amounts, timestamps).
const PHONE =
  /(?<![\w+.-])(?:\+\d{1,3}(?:[ .-]?\(\d{1,4}\)|[ .-]?\d{1,4}){2,5}|\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}|\d{3}[ .-]\d{3}[ .-]\d{4})(?![\w.-]?\d)/g;

const CARD = /(?<![\w.-])\d(?:[ -]?\d){12,18}(?![\w-]|\.\d)/g;

// The country code, check digits and up to 30 characters; ibanPrefix() cuts the match at the country's length.
const IBAN = /(?<![\w-])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}/g;

const SSN = /(?<![\w.-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w.-]?\d)/g;

const IPV4 = /(?<![\w.:-])(?:\d{1,3}\.){3}\d{1,3}(?![\w-]|\.\d)/g;

const IPV6 = /(?<![\w:.-])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:.-])/g;

// Known credential formats: OpenAI / Anthropic, Stripe, GitHub, AWS, Slack, Google, GitLab, private keys.
const KNOWN_SECRET =
  /(?<![\w-])(?:sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|(?:AKIA|ASIA)[0-9A-Z]{16}|xox[abposr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20,}|-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]{0,8000}?-----END [A-Z ]*PRIVATE KEY-----)(?![\w-])/g;

// Long unbroken tokens; kept only when they look random (entropy, mixed character classes).
const TOKEN = /(?<![\w+/=-])[A-Za-z0-9+/_-]{32,512}={0,2}(?![\w+/=-])/g;

const FINDERS: Finder[] = [
  { type: 'secret', pattern: KNOWN_SECRET, accept: () => true },
  { type: 'email', pattern: EMAIL, accept: () => true },
  { type: 'iban', pattern: IBAN, accept: validIban, trim: ibanPrefix },
  { type: 'payment_card', pattern: CARD, accept: validCard },
  { type: 'us_ssn', pattern: SSN, accept: validSsn },
  { type: 'phone', pattern: PHONE, accept: validPhone },
  { type: 'ip_address', pattern: IPV4, accept: validIpv4 },
  { type: 'ip_address', pattern: IPV6, accept: validIpv6 },
  { type: 'secret', pattern: TOKEN, accept: randomLooking },
];

/** Every detection in the text, in order, without overlaps (the longest find wins; on a tie, the earlier finder). */
export function detectPii(text: string, types: ReadonlySet<PiiType> | null = null): PiiDetection[] {
  const found: (PiiDetection & { rank: number })[] = [];
  FINDERS.forEach((finder, rank) => {
    if (types && !types.has(finder.type)) return;
    const pattern = new RegExp(finder.pattern.source, finder.pattern.flags);
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      const value = finder.trim ? finder.trim(match[0]) : match[0];
      if (value && finder.accept(value, text, match.index)) found.push({ type: finder.type, start: match.index, end: match.index + value.length, value, rank });
      // A trimmed match gives the rest of its text back to the search.
      if (value.length < match[0].length) pattern.lastIndex = match.index + Math.max(1, value.length);
    }
  });
  found.sort((x, y) => y.end - y.start - (x.end - x.start) || x.rank - y.rank || x.start - y.start);
  const kept: PiiDetection[] = [];
  for (const candidate of found) {
    if (kept.some((k) => candidate.start < k.end && k.start < candidate.end)) continue;
    kept.push({ type: candidate.type, start: candidate.start, end: candidate.end, value: candidate.value });
  }
  return kept.sort((x, y) => x.start - y.start);
}

/** Luhn checksum over the digits of a number. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function validCard(value: string): boolean {
  if (/[ -]{2}/.test(value) || (/ /.test(value) && /-/.test(value))) return false;
  // Written in groups, card numbers come in groups of three digits or more.
  if (value.split(/[ -]/).some((group) => group.length < 3)) return false;
  const digits = value.replace(/\D/g, '');
  if (digits.length < 13 || digits.length > 19 || /^(\d)\1+$/.test(digits)) return false;
  // Issuer ranges of the card networks (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro).
  const issuer = /^(?:4|5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720|3[47]|30[0-5]|3095|36|38|39|35(?:2[89]|[3-8]\d)|6011|64[4-9]|65|62|50|5[6-8]|6[0-9])/;
  return issuer.test(digits) && luhnValid(digits);
}

/** Lengths of the IBAN registry (SWIFT) per country. */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28,
  CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18,
  GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32,
  LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24,
  PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28,
  TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

/** ISO 13616: moving the first four characters to the end and reading letters as 10–35 gives 1 mod 97. */
export function ibanChecksumValid(iban: string): boolean {
  const moved = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of moved) {
    const code = char.charCodeAt(0);
    const chunk = code >= 65 ? String(code - 55) : char;
    for (const digit of chunk) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** The match up to the country's IBAN length (spaces included); '' for an unknown country. */
function ibanPrefix(match: string): string {
  const expected = IBAN_LENGTHS[match.slice(0, 2)];
  if (expected === undefined) return '';
  let seen = 0;
  for (let i = 0; i < match.length; i++) {
    if (match[i] !== ' ') seen += 1;
    if (seen === expected) return match.slice(0, i + 1);
  }
  return '';
}

function validIban(value: string, text: string, start: number): boolean {
  const compact = value.replace(/ /g, '');
  const expected = IBAN_LENGTHS[compact.slice(0, 2)];
  if (expected === undefined || compact.length !== expected) return false;
  // The IBAN must end where its text ends, not in the middle of a longer code.
  if (/^[A-Za-z0-9_-]/.test(text.slice(start + value.length))) return false;
  // Written with spaces, an IBAN is grouped by four.
  if (value.includes(' ') && !/^[A-Z0-9]{4}(?: [A-Z0-9]{4})*(?: [A-Z0-9]{1,4})?$/.test(value)) return false;
  return ibanChecksumValid(compact);
}

/** SSA rules: area not 000, 666 or 900–999; group not 00; serial not 0000; and the well-known advertising numbers. */
export function validSsnParts(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  if (a === 0 || a === 666 || a >= 900) return false;
  if (group === '00' || serial === '0000') return false;
  return !['078-05-1120', '219-09-9999', '123-45-6789'].includes(`${area}-${group}-${serial}`);
}

function validSsn(value: string): boolean {
  const parts = /^(\d{3})[- ](\d{2})[- ](\d{4})$/.exec(value);
  return !!parts && validSsnParts(parts[1]!, parts[2]!, parts[3]!);
}

function validPhone(value: string, text: string, start: number): boolean {
  const digits = value.replace(/\D/g, '');
  if (value.startsWith('+')) {
    if (digits.length < 8 || digits.length > 15) return false;
  } else if (digits.length !== 10 || /^[01]/.test(digits)) {
    return false; // North American numbers: area codes start with 2–9.
  }
  return !looksLikeDate(value) && !precededByVersionWord(text, start);
}

/** 2024-01-15, 15.01.2024 and friends, with or without a time, are dates. */
function looksLikeDate(value: string): boolean {
  return /^\+?\d{4}[ ./-]\d{1,2}[ ./-]\d{1,2}$/.test(value) || /^\+?\d{1,2}[ ./-]\d{1,2}[ ./-]\d{4}$/.test(value);
}

function precededByVersionWord(text: string, start: number): boolean {
  return /(?:\bversion|\bver\.?|\bv|\brelease|\bbuild)\s*$/i.test(text.slice(Math.max(0, start - 12), start));
}

function validIpv4(value: string, text: string, start: number): boolean {
  if (!isIPv4(value) || value.split('.').some((octet) => octet.length > 1 && octet.startsWith('0'))) return false;
  return !precededByVersionWord(text, start);
}

function validIpv6(value: string): boolean {
  if (!isIPv6(value)) return false;
  const groups = value.split(':').filter(Boolean);
  // "::" alone and short runs like "a::b" are too often something else; "::1" is the loopback.
  return value === '::1' || groups.length >= 3 || value.includes('.');
}

/** Shannon entropy in bits per character. */
export function entropyOf(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * A token is a secret when it mixes lower case, upper case and digits (spread over
 * the token, unlike an identifier with a trailing number) and is close to random.
 */
function randomLooking(value: string): boolean {
  // A file path is judged by its longest part: random-looking file names are not keys.
  if ((value.match(/\//g)?.length ?? 0) >= 2) {
    const longest = value.split('/').reduce((a, b) => (b.length > a.length ? b : a), '');
    return longest.length >= 32 && randomLooking(longest);
  }
  const body = value.replace(/=+$/, '');
  const count = (pattern: RegExp) => body.match(pattern)?.length ?? 0;
  if (count(/[a-z]/g) < 2 || count(/[A-Z]/g) < 2 || count(/\d/g) < 3 || count(/\d+/g) < 2) return false;
  return entropyOf(body) >= 4;
}

/** Loopback and unspecified addresses are the machine's own, never anyone's data. */
const OWN_ADDRESSES = /^(?:127\.\d+\.\d+\.\d+|0\.0\.0\.0|::1?)$/;

/**
 * Every detection replaced by its bare tag ([EMAIL], [CARD]…): for logs, which
 * never keep PII whatever the policy (the machine's own loopback address stays).
 */
export function redactAllPii(text: string): string {
  let out = '';
  let at = 0;
  for (const d of detectPii(text)) {
    if (d.type === 'ip_address' && OWN_ADDRESSES.test(d.value)) continue;
    out += `${text.slice(at, d.start)}[${PII_TAGS[d.type]}]`;
    at = d.end;
  }
  return out + text.slice(at);
}
