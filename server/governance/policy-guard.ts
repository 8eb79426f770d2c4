// A workspace policy applied to one run (or one gateway call): screens text for PII
// and content rules (redact with typed placeholders, or refuse with a reason that
// names the type or rule, never the value), answers the allow-lists, and restores
// placeholders for the end user when redaction is reversible. The placeholder ↔
// value mapping lives only in this object's memory; the same value always gets the
// same placeholder within it.
import { PolicyViolation } from '../domain-errors';
import { brokenRule, compileContentRules, ruleLabel, type CompiledRule, type ContentDirection } from './content-rules';
import { detectPii, PII_TAGS, type PiiDetection } from './pii-detection';
import { PII_TYPES, type PiiType, type PolicyDocument } from './policy-document';

/** Where text is screened, as reasons name it. */
export type ScreenPlace = 'model input' | 'model output' | 'tool arguments' | 'tool result' | 'retrieved context';

const TAG_TYPES = new Map(PII_TYPES.map((type) => [PII_TAGS[type], type]));
export const PLACEHOLDER = /\[(EMAIL|PHONE|CARD|IBAN|SSN|IP|SECRET)_(\d{1,6})\]/g;

/** Streamed text waits this long for a pattern rule that may span words. */
const PATTERN_HOLD_BACK = 200;

/** The provider id the allow-list uses for the built-in local model. */
export const LOCAL_PROVIDER_ID = 'local';

export type Screening = { text: string; detections: (PiiDetection & { action: 'allow' | 'redact' | 'block'; placeholder: string | null })[] };

export class PolicyGuard {
  private readonly placeholders = new Map<string, string>();
  private readonly originals = new Map<string, string>();
  private readonly counters = new Map<PiiType, number>();
  private readonly rules: CompiledRule[];
  private readonly watched: ReadonlySet<PiiType>;

  constructor(
    readonly workspaceId: string,
    readonly version: number,
    readonly document: PolicyDocument,
  ) {
    this.rules = compileContentRules(document.content.rules);
    this.watched = new Set(PII_TYPES.filter((type) => document.pii.actions[type] !== 'allow'));
  }

  /** Whether screening can change or refuse anything (if not, text passes untouched). */
  get screensText(): boolean {
    return this.watched.size > 0 || this.rules.length > 0;
  }

  /**
   * How much streamed text must wait for the content rules: a pattern may span
   * words (a fixed window), a term as long as its longest multi-word value.
   */
  get ruleHoldBack(): number {
    return this.rules.reduce((most, { rule }) => Math.max(most, rule.kind === 'pattern' ? PATTERN_HOLD_BACK : /\s/.test(rule.value) ? rule.value.length : 0), 0);
  }

  get reversible(): boolean {
    return this.document.pii.reversible && [...this.watched].some((type) => this.document.pii.actions[type] === 'redact');
  }

  /**
   * The text as it may pass: content rules checked for the direction, blocked PII
   * refused, redacted PII replaced by placeholders. Throws PolicyViolation.
   */
  screen(text: string, direction: ContentDirection, place: ScreenPlace): string {
    return this.inspect(text, direction, place).text;
  }

  /** screen() with what was found; throws PolicyViolation when the text is refused. */
  inspect(text: string, direction: ContentDirection, place: ScreenPlace): Screening {
    const outcome = this.evaluate(text, direction, place);
    if (outcome.refusal) throw new PolicyViolation(outcome.refusal);
    return outcome;
  }

  /** What screening would do, without refusing: the policy page's "test this text" (same path as enforcement). */
  evaluate(text: string, direction: ContentDirection, place: ScreenPlace): Screening & { refusal: string | null } {
    if (!this.screensText || !text) return { text, detections: [], refusal: null };
    const broken = brokenRule(this.rules, text, direction);
    const detections = detectPii(text, this.watched).map((d) => ({ ...d, action: this.document.pii.actions[d.type], placeholder: null as string | null }));
    if (broken) return { text, detections, refusal: `The workspace policy's content rule ${ruleLabel(broken.rule, broken.index)} blocks this ${place}.` };
    const blocked = detections.find((d) => d.action === 'block');
    if (blocked) return { text, detections, refusal: `The workspace policy blocks ${PLURALS[blocked.type]} in the ${place}.` };
    for (const d of detections) if (d.action === 'redact') d.placeholder = this.placeholderFor(d.type, d.value);
    return { text: replaceDetections(text, detections), detections, refusal: null };
  }

  /**
   * For what is stored or logged (trace steps, error messages): every PII type the
   * policy does not allow becomes a placeholder; nothing is refused.
   */
  scrub(text: string): string {
    if (this.watched.size === 0 || !text) return text;
    const detections = detectPii(text, this.watched).map((d) => ({ ...d, placeholder: this.placeholderFor(d.type, d.value) }));
    return replaceDetections(text, detections);
  }

  /** Every string inside a JSON value, scrubbed. */
  scrubJson<T>(value: T): T {
    if (this.watched.size === 0) return value;
    return mapStrings(value, (text) => this.scrub(text)) as T;
  }

  /** Every string inside a JSON value, screened (content rules and blocks apply). */
  screenJson<T>(value: T, direction: ContentDirection, place: ScreenPlace): T {
    if (!this.screensText) return value;
    return mapStrings(value, (text) => this.screen(text, direction, place)) as T;
  }

  /** With reversible redaction, placeholders this guard made are turned back into their values. */
  restore(text: string): string {
    if (!this.reversible || !text) return text;
    return text.replace(PLACEHOLDER, (placeholder) => this.originals.get(placeholder) ?? placeholder);
  }

  /**
   * Placeholders already present (steps written before a resume) keep their numbers:
   * values seen later get numbers above them, so no placeholder means two values.
   */
  reservePlaceholdersIn(text: string): void {
    for (const match of text.matchAll(PLACEHOLDER)) {
      const type = TAG_TYPES.get(match[1]!)!;
      this.counters.set(type, Math.max(this.counters.get(type) ?? 0, Number(match[2])));
    }
  }

  allowsTool(name: string): boolean {
    const tools = this.document.allowLists.tools;
    return tools === null || tools.includes(name);
  }

  /** Why a model call to this provider and model is refused, or null when it may go ahead. */
  modelRefusal(call: { providerId: string | null; providerName: string; model: string; checkModel: boolean }): string | null {
    const { providers, models } = this.document.allowLists;
    const providerId = call.providerId ?? LOCAL_PROVIDER_ID;
    if (providers !== null && !providers.includes(providerId)) {
      return `The workspace policy does not allow the provider "${call.providerName}".`;
    }
    if (call.checkModel && models !== null && !models.includes(call.model)) return `The workspace policy does not allow the model "${call.model}".`;
    return null;
  }

  private placeholderFor(type: PiiType, value: string): string {
    const key = `${type}\u0000${normalized(type, value)}`;
    const known = this.placeholders.get(key);
    if (known) return known;
    const next = (this.counters.get(type) ?? 0) + 1;
    this.counters.set(type, next);
    const placeholder = `[${PII_TAGS[type]}_${next}]`;
    this.placeholders.set(key, placeholder);
    this.originals.set(placeholder, value);
    return placeholder;
  }
}

/** A guard for the policy with the given document (version 0: the default policy). */
export function guardOf(workspaceId: string, policy: { version: number; document: PolicyDocument }): PolicyGuard {
  return new PolicyGuard(workspaceId, policy.version, policy.document);
}

const PLURALS: Record<PiiType, string> = {
  email: 'email addresses',
  phone: 'phone numbers',
  payment_card: 'payment card numbers',
  iban: 'IBANs',
  us_ssn: 'US social security numbers',
  ip_address: 'IP addresses',
  secret: 'secrets (API keys and tokens)',
};

/** The same email in another case, or a card with other spacing, is the same value. */
function normalized(type: PiiType, value: string): string {
  if (type === 'email') return value.toLowerCase();
  if (type === 'phone' || type === 'payment_card' || type === 'us_ssn') return value.replace(/\D/g, '');
  if (type === 'iban') return value.replace(/ /g, '').toUpperCase();
  if (type === 'ip_address') return value.toLowerCase();
  return value;
}

function replaceDetections(text: string, detections: readonly { start: number; end: number; placeholder: string | null }[]): string {
  let out = '';
  let at = 0;
  for (const d of detections) {
    if (!d.placeholder) continue;
    out += text.slice(at, d.start) + d.placeholder;
    at = d.end;
  }
  return out + text.slice(at);
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]));
  }
  return value;
}
