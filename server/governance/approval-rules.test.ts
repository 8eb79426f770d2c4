// Which calls the approval rules hold: tools by exact name, model calls strictly
// above the threshold, nothing when the rules are empty.
import { describe, expect, it } from 'vitest';
import { asksForNothing, modelCallAsk, toolCallAsk, usd } from './approval-rules';
import { DEFAULT_POLICY } from './policy-document';

const rules = { costAboveUsd: 0.05, tools: ['send_email'], expiresAfterMinutes: 60 };

describe('approval rules', () => {
  it('ask for nothing by default', () => {
    expect(asksForNothing(DEFAULT_POLICY.approvals)).toBe(true);
    expect(toolCallAsk(DEFAULT_POLICY.approvals, 'send_email', {})).toBeNull();
    expect(modelCallAsk(DEFAULT_POLICY.approvals, 'gpt-4o', 1_000)).toBeNull();
    expect(asksForNothing(rules)).toBe(false);
  });

  it('hold a call to a listed tool, by its exact name, with its arguments', () => {
    expect(toolCallAsk(rules, 'send_email', { to: 'x@example.com' })).toEqual({
      kind: 'tool',
      toolName: 'send_email',
      toolArgs: { to: 'x@example.com' },
      rule: 'Calls to the tool send_email need an approval.',
    });
    expect(toolCallAsk(rules, 'send_emails', {})).toBeNull();
    expect(toolCallAsk(rules, 'SEND_EMAIL', {})).toBeNull();
  });

  it('name amounts with the decimals they need', () => {
    expect([0, 0.0016384, 0.05, 0.5, 1, 12.5].map(usd)).toEqual(['$0.00', '$0.001638', '$0.05', '$0.50', '$1.00', '$12.50']);
  });

  it('hold a model call only strictly above the threshold', () => {
    expect(modelCallAsk(rules, 'gpt-4o', 0.05)).toBeNull();
    expect(modelCallAsk(rules, 'gpt-4o', 0.0501)).toMatchObject({ kind: 'model', model: 'gpt-4o', estimatedCostUsd: 0.0501 });
    expect(modelCallAsk(rules, 'gpt-4o', 0.0501)!.rule).toBe('A model call estimated at up to $0.0501 is above the approval threshold of $0.05.');
    // A zero threshold holds every priced call, never an unpriced one (estimated at 0).
    expect(modelCallAsk({ ...rules, costAboveUsd: 0 }, 'mystery-model', 0)).toBeNull();
    expect(modelCallAsk({ ...rules, costAboveUsd: 0 }, 'gpt-4o', 0.000001)).not.toBeNull();
  });
});
