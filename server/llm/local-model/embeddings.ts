// POST /v1/embeddings: one hashed embedding per input (string, strings, or token
// arrays, decoded with the same tokenizer), as floats or base64, with usage.
import { decode } from 'gpt-tokenizer';
import { invalidRequest } from './api-errors';
import { DEFAULT_EMBEDDING_DIMENSIONS, embedText, toBase64 } from './hashed-embedding';
import type { EmbeddingRequest } from './request-schemas';
import { inputTokens } from './token-count';

export function createEmbeddings(request: EmbeddingRequest) {
  const texts = inputTexts(request.input);
  const dimensions = request.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
  let tokens = 0;
  const data = texts.map((text, index) => {
    tokens += inputTokens(text);
    const vector = embedText(text, dimensions);
    return {
      object: 'embedding' as const,
      index,
      embedding: request.encoding_format === 'base64' ? toBase64(vector) : Array.from(vector),
    };
  });
  return { object: 'list' as const, data, model: request.model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}

function inputTexts(input: EmbeddingRequest['input']): string[] {
  if (typeof input === 'string') return [input];
  if (!input.length) return [];
  const first = input[0];
  if (typeof first === 'string') return input as string[];
  if (typeof first === 'number') return [decodeInput(input as number[])];
  return (input as number[][]).map(decodeInput);
}

function decodeInput(tokens: number[]): string {
  try {
    return decode(tokens);
  } catch {
    throw invalidRequest('The input holds token ids the tokenizer does not know.', 'input');
  }
}
