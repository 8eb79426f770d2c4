// The worst-case cost of a model call before it is made: the prompt's tokens
// (counted with the o200k tokenizer) plus every output token it may produce, at
// the price table's rates. Budget reservations and approval rules both use it.
import { countTokens } from 'gpt-tokenizer';
import { costOf } from './pricing';

export type CallCostEstimate = {
  inputTokens: number;
  maxOutputTokens: number;
  /** USD, the ledger's scale; 0 with priceKnown false for a model without a price. */
  worstCaseUsd: number;
  priceKnown: boolean;
};

/** Per message, the tokens the chat format adds around its content (role and separators). */
const MESSAGE_OVERHEAD_TOKENS = 4;

/**
 * `messages` and `tools` as sent to the provider; `maxOutputTokens` must be the
 * cap the call is actually made with, or the figure is not a bound.
 */
export function estimateCallCost(call: {
  model: string;
  messages: readonly unknown[];
  tools?: readonly unknown[];
  maxOutputTokens: number;
}): CallCostEstimate {
  let inputTokens = 0;
  for (const message of call.messages) inputTokens += countTokens(JSON.stringify(message)) + MESSAGE_OVERHEAD_TOKENS;
  if (call.tools?.length) inputTokens += countTokens(JSON.stringify(call.tools));
  const { costUsd, priceKnown } = costOf(call.model, inputTokens, call.maxOutputTokens);
  return { inputTokens, maxOutputTokens: call.maxOutputTokens, worstCaseUsd: costUsd, priceKnown };
}
