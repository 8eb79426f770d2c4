// The guard as runs use it: typed placeholders stable within a run, blocks that
// name the type and never the value, content rules by direction, safe-pattern
// checks, allow-lists, reversible restoring, and the streamed-text screens.
import { describe, expect, it } from 'vitest';
import { PolicyViolation } from '../domain-errors';
import { unsafePatternReason } from './content-rules';
import { policyDocument, type PolicyDocument } from './policy-document';
import { guardOf } from './policy-guard';
import { restoredStream, screenedStream } from './screened-stream';

const WS = '00000000-0000-4000-8000-000000000001';

function guard(document: unknown) {
  return guardOf(WS, { version: 3, document: policyDocument.parse(document) as PolicyDocument });
}

function refusal(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyViolation);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('redaction', () => {
  const redacting = () => guard({ pii: { actions: { email: 'redact', phone: 'redact', ip_address: 'allow' }, reversible: true } });

  it('gives each value a typed placeholder, the same one every time within the guard', () => {
    const g = redacting();
    expect(g.screen('Write to jane@example.com or bob@example.org, call +1 415 555 0132', 'input', 'model input')).toBe(
      'Write to [EMAIL_1] or [EMAIL_2], call [PHONE_1]',
    );
    expect(g.screen('Again: JANE@example.com from 10.0.0.1', 'input', 'model input')).toBe('Again: [EMAIL_1] from 10.0.0.1');
  });

  it('restores the values when redaction is reversible, and only its own placeholders', () => {
    const g = redacting();
    g.screen('jane@example.com', 'input', 'model input');
    expect(g.restore('Your address is [EMAIL_1]; [EMAIL_9] is unknown.')).toBe('Your address is jane@example.com; [EMAIL_9] is unknown.');
    const oneWay = guard({ pii: { actions: { email: 'redact' }, reversible: false } });
    oneWay.screen('jane@example.com', 'input', 'model input');
    expect(oneWay.restore('[EMAIL_1]')).toBe('[EMAIL_1]');
  });

  it('numbers the same inputs the same way in two guards, and above reserved placeholders', () => {
    const first = redacting();
    const second = redacting();
    second.reservePlaceholdersIn('earlier step mentioned [EMAIL_4]');
    first.screen('a@example.com', 'input', 'model input');
    expect(second.screen('b@example.com', 'input', 'model input')).toBe('[EMAIL_5]');
    expect(redacting().screen('a@example.com', 'input', 'model input')).toBe(first.screen('a@example.com', 'input', 'model input'));
  });

  it('screens strings inside JSON and scrubs without refusing', () => {
    const g = guard({ pii: { actions: { email: 'redact', us_ssn: 'block' } } });
    expect(g.screenJson({ to: ['jane@example.com'], n: 3 }, 'output', 'tool arguments')).toEqual({ to: ['[EMAIL_1]'], n: 3 });
    expect(g.scrub('ssn 536-22-8451')).toBe('ssn [SSN_1]');
  });

  it('passes text untouched when the policy watches nothing', () => {
    const g = guard({});
    expect(g.screensText).toBe(false);
    expect(g.screen('jane@example.com 536-22-8451', 'input', 'model input')).toBe('jane@example.com 536-22-8451');
  });
});

describe('blocking', () => {
  it('refuses with the type and the place, never the value', () => {
    const g = guard({ pii: { actions: { us_ssn: 'block', payment_card: 'block' } } });
    const message = refusal(() => g.screen('My SSN is 536-22-8451', 'input', 'model input'));
    expect(message).toBe('The workspace policy blocks US social security numbers in the model input.');
    expect(message).not.toContain('536');
    expect(refusal(() => g.screen('card 4111 1111 1111 1111', 'output', 'model output'))).toContain('payment card numbers in the model output');
  });

  it('shows what it would refuse without refusing (the policy page path)', () => {
    const g = guard({ pii: { actions: { us_ssn: 'block', email: 'redact' } } });
    const outcome = g.evaluate('jane@example.com 536-22-8451', 'input', 'model input');
    expect(outcome.refusal).toContain('US social security numbers');
    expect(outcome.detections.map((d) => [d.type, d.action])).toEqual([
      ['email', 'redact'],
      ['us_ssn', 'block'],
    ]);
  });
});

describe('content rules', () => {
  const g = () =>
    guard({
      content: {
        rules: [
          { name: 'Project codename', kind: 'term', value: 'Bluebird', appliesTo: 'both' },
          { kind: 'pattern', value: 'INV-\\d{6}', appliesTo: 'output' },
          { kind: 'term', value: 'c++', appliesTo: 'input' },
        ],
      },
    });

  it('blocks a term as a whole word, in any case, naming the rule', () => {
    expect(refusal(() => g().screen('about BLUEBIRD launch', 'input', 'model input'))).toBe(
      'The workspace policy\'s content rule "Project codename" blocks this model input.',
    );
    expect(g().screen('bluebirds are birds', 'input', 'model input')).toBe('bluebirds are birds');
  });

  it('applies a rule only in its direction', () => {
    expect(g().screen('invoice INV-123456', 'input', 'model input')).toBe('invoice INV-123456');
    expect(refusal(() => g().screen('invoice INV-123456', 'output', 'model output'))).toContain('#2 (pattern /INV-\\d{6}/)');
    expect(refusal(() => g().screen('I like C++ a lot', 'input', 'model input'))).toContain('blocked term "c++"');
  });
});

describe('safe patterns', () => {
  it.each(['INV-\\d{6}', '\\b(?:secret|classified)\\b', '[A-Z]{3}-\\d+', '(ab)+c', '(\\d{3}-)+x', '^foo.*bar$'])('accepts %s', (pattern) => {
    expect(unsafePatternReason(pattern)).toBeNull();
  });
  it.each([
    ['(a+)+$', 'repeated group'],
    ['(a|aa)*b', 'repeated group'],
    ['(x*)*', 'repeated group'],
    ['(a)\\1', 'Backreferences'],
    ['foo(?=bar)', 'Lookahead'],
    ['a{1,1000}', 'Counted repetitions'],
    ['a*b*c*d*e*', 'open-ended'],
    ['(unclosed', 'not a valid regular expression'],
    ['x'.repeat(201), 'at most 200'],
  ])('refuses %s', (pattern, reason) => {
    expect(unsafePatternReason(pattern)).toContain(reason);
  });
});

describe('allow-lists', () => {
  const g = guard({ allowLists: { tools: ['run_javascript'], models: ['enclave-local-chat'], providers: ['local'] } });

  it('answers for tools', () => {
    expect(g.allowsTool('run_javascript')).toBe(true);
    expect(g.allowsTool('http_request')).toBe(false);
    expect(guard({}).allowsTool('anything')).toBe(true);
  });

  it('refuses models and providers off the lists, naming them', () => {
    expect(g.modelRefusal({ providerId: null, providerName: 'local', model: 'enclave-local-chat', checkModel: true })).toBeNull();
    expect(g.modelRefusal({ providerId: null, providerName: 'local', model: 'enclave-local-chat-slow', checkModel: true })).toBe(
      'The workspace policy does not allow the model "enclave-local-chat-slow".',
    );
    expect(g.modelRefusal({ providerId: null, providerName: 'local', model: 'enclave-local-embed', checkModel: false })).toBeNull();
    expect(g.modelRefusal({ providerId: '9d1c…', providerName: 'US Cloud', model: 'gpt-4o', checkModel: true })).toBe(
      'The workspace policy does not allow the provider "US Cloud".',
    );
  });
});

describe('streamed text', () => {
  it('passes text on word by word but never a value split across deltas, and stops at a refusal', () => {
    const g = guard({ pii: { actions: { email: 'redact', phone: 'redact', us_ssn: 'block' } } });
    const out: string[] = [];
    const stream = screenedStream(g, (t) => out.push(t));
    const text = 'Hello there, mail jane@example.com or call +1 415 555 0132 before noon. Thanks for waiting.';
    for (let i = 0; i < text.length; i += 3) stream.push(text.slice(i, i + 3));
    stream.close();
    expect(out.join('')).toBe('Hello there, mail [EMAIL_1] or call [PHONE_1] before noon. Thanks for waiting.');
    expect(out.length).toBeGreaterThan(5);
    for (const piece of out) expect(piece).not.toMatch(/jane|@ex|415|555|0132/);

    const blocked: string[] = [];
    const refusing = screenedStream(g, (t) => blocked.push(t));
    for (const piece of ['my ssn 536-', '22-8451 ', 'and ', 'more words follow here']) refusing.push(piece);
    refusing.close();
    expect(blocked.join('')).toBe('my ssn ');
  });

  it('holds back text as long as a content pattern could span', () => {
    const g = guard({ content: { rules: [{ kind: 'pattern', value: 'top\\s+secret', appliesTo: 'output' }] } });
    const out: string[] = [];
    const stream = screenedStream(g, (t) => out.push(t));
    for (const word of 'this is top secret material'.split(/(?<= )/)) stream.push(word);
    stream.close();
    expect(out.join('')).toBe('');
  });

  it('restores placeholders split across deltas', () => {
    const g = guard({ pii: { actions: { email: 'redact' }, reversible: true } });
    g.screen('jane@example.com', 'input', 'model input');
    const out: string[] = [];
    const stream = restoredStream(g, (t) => out.push(t));
    for (const piece of ['Your mail is [EMA', 'IL_', '1]. Brackets [like this] stay', ' and [open']) stream.push(piece);
    stream.close();
    expect(out.join('')).toBe('Your mail is jane@example.com. Brackets [like this] stay and [open');
  });
});
