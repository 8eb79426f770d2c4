// POST /v1/embeddings: one embedding per input (string, strings, or token arrays,
// decoded with the same tokenizer), as floats or base64, with usage. Hashed models
// take any `dimensions`; the semantic model has a fixed 512 and refuses others.
import { decode } from 'gpt-tokenizer';
import { invalidRequest } from './api-errors';
import { DEFAULT_EMBEDDING_DIMENSIONS, embedText, toBase64 } from './hashed-embedding';
import type { LocalModel } from './models';
import type { EmbeddingRequest } from './request-schemas';
import { SEMANTIC_EMBEDDING_DIMENSIONS, embedTextsSemantically } from './semantic-embedding';
import { inputTokens } from './token-count';

export async function createEmbeddings(request: EmbeddingRequest, model: LocalModel) {
  const texts = inputTexts(request.input);
  const vectors = await embedTexts(texts, request, model);
  const tokens = texts.reduce((sum, text) => sum + inputTokens(text), 0);
  const data = vectors.map((vector, index) => ({
    object: 'embedding' as const,
    index,
    embedding: request.encoding_format === 'base64' ? toBase64(vector) : Array.from(vector),
  }));
  return { object: 'list' as const, data, model: request.model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}

async function embedTexts(texts: string[], request: EmbeddingRequest, model: LocalModel): Promise<Float32Array[]> {
  if (model.embedder === 'semantic') {
    if (request.dimensions !== undefined && request.dimensions !== SEMANTIC_EMBEDDING_DIMENSIONS) {
      throw invalidRequest(
        `The model \`${model.id}\` only produces ${SEMANTIC_EMBEDDING_DIMENSIONS}-dimensional embeddings.`,
        'dimensions',
      );
    }
    return embedTextsSemantically(texts);
  }
  const dimensions = request.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
  return texts.map((text) => embedText(text, dimensions));
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
