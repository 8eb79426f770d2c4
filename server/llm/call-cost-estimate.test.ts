// The estimate is an upper bound of what the ledger later records for the same call.
import { describe, expect, it } from 'vitest';
import { estimateCallCost } from './call-cost-estimate';
import { costOf } from './pricing';

describe('estimateCallCost', () => {
  it('counts the prompt and the whole output cap at the model price', () => {
    const messages = [
      { role: 'system', content: 'You are the assistant of Acme Inc.' },
      { role: 'user', content: 'Where is my order 1234?' },
    ];
    const estimate = estimateCallCost({ model: 'gpt-4o', messages, maxOutputTokens: 500 });
    expect(estimate.priceKnown).toBe(true);
    expect(estimate.inputTokens).toBeGreaterThan(15);
    expect(estimate.worstCaseUsd).toBe(costOf('gpt-4o', estimate.inputTokens, 500).costUsd);
    expect(estimate.worstCaseUsd).toBeGreaterThan(costOf('gpt-4o', 15, 20).costUsd);
  });

  it('adds the tool schemas to the prompt', () => {
    const messages = [{ role: 'user', content: 'hi' }];
    const tools = [{ type: 'function', function: { name: 'lookup_order', parameters: { type: 'object', properties: { id: { type: 'string' } } } } }];
    const bare = estimateCallCost({ model: 'gpt-4o', messages, maxOutputTokens: 10 });
    const withTools = estimateCallCost({ model: 'gpt-4o', messages, tools, maxOutputTokens: 10 });
    expect(withTools.inputTokens).toBeGreaterThan(bare.inputTokens + 10);
  });

  it('flags a model without a price', () => {
    expect(estimateCallCost({ model: 'no-such-model', messages: [], maxOutputTokens: 10 })).toMatchObject({ worstCaseUsd: 0, priceKnown: false });
  });
});
