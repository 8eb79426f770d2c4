// The local semantic embedding model through the openai SDK: 512 unit-length
// dimensions, deterministic, and paraphrases scored well above unrelated text.
// One server per file, so the model loads once.
import OpenAI from 'openai';
import { countTokens } from 'gpt-tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalModelServer, type LocalModelServer } from './local-model-server';

let server: LocalModelServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startLocalModelServer();
  client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => server.stop());

const model = 'enclave-local-semantic';

async function embed(input: string | string[], extra: Partial<OpenAI.EmbeddingCreateParams> = {}) {
  const response = await client.embeddings.create({ model, input, ...extra });
  return response.data.map((d) => Array.from(d.embedding as ArrayLike<number>));
}

const dot = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);
const norm = (a: number[]) => Math.sqrt(dot(a, a));

describe('semantic embeddings', () => {
  it('is listed by /v1/models', async () => {
    const ids = (await client.models.list()).data.map((m) => m.id);
    expect(ids).toContain(model);
  });

  it('score a paraphrase well above an unrelated sentence, where word overlap cannot help', async () => {
    const [question, paraphrase, unrelated] = await embed([
      'How do I reset my password?',
      'I forgot my login credentials',
      'The weather in Paris is sunny',
    ]);
    const similar = dot(question!, paraphrase!);
    const different = dot(question!, unrelated!);
    expect(similar).toBeGreaterThan(0.4);
    expect(different).toBeLessThan(0.15);
    expect(similar - different).toBeGreaterThan(0.3);
  });

  it('rank passages by meaning for a question', async () => {
    const [query, ...passages] = await embed([
      'When will I get my money back?',
      'Our office is closed on public holidays.',
      'Refunds are paid within five business days of receiving the return.',
      'Shipping is free for orders above 50 EUR.',
    ]);
    const scores = passages.map((p) => dot(query!, p));
    expect(scores.indexOf(Math.max(...scores))).toBe(1);
  });

  it('are 512-dimensional, unit length, deterministic and independent of the batch', async () => {
    const texts = ['Invoices are sent monthly.', 'Install the agent on Linux with the package manager.'];
    const [first, second] = [await embed(texts), await embed(texts)];
    expect(first).toEqual(second);
    for (const vector of first) {
      expect(vector).toHaveLength(512);
      expect(norm(vector)).toBeCloseTo(1, 5);
    }
    const [alone] = await embed(texts[1]!);
    alone!.forEach((v, i) => expect(v).toBeCloseTo(first[1]![i]!, 5));
  });

  it('embed more texts than one batch, in input order, and count usage tokens like the hashed model', async () => {
    const texts = Array.from({ length: 20 }, (_, i) => `Order number ${i} was shipped to the customer.`);
    const response = await client.embeddings.create({ model, input: texts, encoding_format: 'float' });
    expect(response.data.map((d) => d.index)).toEqual(texts.map((_, i) => i));
    const tokens = texts.reduce((sum, t) => sum + countTokens(t), 0);
    expect(response.usage).toEqual({ prompt_tokens: tokens, total_tokens: tokens });
    expect(response.model).toBe(model);
    const [last] = await embed(texts[19]!);
    last!.forEach((v, i) => expect(v).toBeCloseTo((response.data[19]!.embedding as number[])[i]!, 5));
  });

  it('embed text without words (punctuation, emoji, whitespace) instead of failing', async () => {
    const vectors = await embed(['   ', '🙂', '...']);
    for (const vector of vectors) expect(norm(vector)).toBeCloseTo(1, 5);
  });

  it('refuse a dimension other than 512 with a 400 naming the field', async () => {
    await expect(embed('x', { dimensions: 64 })).rejects.toMatchObject({ status: 400, param: 'dimensions' });
    expect((await embed('x', { dimensions: 512 }))[0]).toHaveLength(512);
  });
});
