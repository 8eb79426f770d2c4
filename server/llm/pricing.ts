// The price table: USD per million input and output tokens, per model. The one
// place prices live; the usage ledger stores the cost computed from it at call
// time. Unknown models cost 0 and are flagged (price_known = false) so the
// usage page can say the figure is incomplete.

export type ModelPrice = { inputPerMillion: number; outputPerMillion: number };

/** Keys are model ids as providers name them; a dated variant falls back to its base name. */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  // The built-in local model: a small nominal figure so usage shows a cost.
  'enclave-local-chat': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  'enclave-local-chat-slow': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  'enclave-local-utility': { inputPerMillion: 0.02, outputPerMillion: 0.08 },
  'enclave-local-embed': { inputPerMillion: 0.01, outputPerMillion: 0 },
  'enclave-local-semantic': { inputPerMillion: 0.02, outputPerMillion: 0 },
  // OpenAI list prices.
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  'gpt-4.1-nano': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  'o3-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4 },
  'text-embedding-3-small': { inputPerMillion: 0.02, outputPerMillion: 0 },
  'text-embedding-3-large': { inputPerMillion: 0.13, outputPerMillion: 0 },
};

export type Cost = { costUsd: number; priceKnown: boolean };

/** A price for `model`: exact id, else the id without a trailing date (gpt-4o-2024-08-06 → gpt-4o). */
export function priceOf(model: string): ModelPrice | undefined {
  return MODEL_PRICES[model] ?? MODEL_PRICES[model.replace(/-\d{4}-\d{2}-\d{2}$/, '')];
}

/** Cost in USD, rounded to 10 decimals (the ledger's scale). */
export function costOf(model: string, inputTokens: number, outputTokens: number): Cost {
  const price = priceOf(model);
  if (!price) return { costUsd: 0, priceKnown: false };
  const raw = (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1_000_000;
  return { costUsd: Math.round(raw * 1e10) / 1e10, priceKnown: true };
}
