// The local model's embeddings through the openai SDK: deterministic, unit
// length, fixed or requested dimension, and closer for texts that share meaning.
import OpenAI from 'openai';
import { countTokens, encode } from 'gpt-tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalModelServer, type LocalModelServer } from './local-model-server';

let server: LocalModelServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startLocalModelServer();
  client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => server.stop());

const model = 'enclave-local-embed';

async function embed(input: string | string[], extra: Partial<OpenAI.EmbeddingCreateParams> = {}) {
  const response = await client.embeddings.create({ model, input, ...extra });
  return response.data.map((d) => Array.from(d.embedding as ArrayLike<number>));
}

const dot = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);
const norm = (a: number[]) => Math.sqrt(dot(a, a));

describe('embeddings', () => {
  it('are deterministic, 384-dimensional and unit length, in input order', async () => {
    const texts = ['How do I reset my password?', 'Invoices are sent monthly.'];
    const [first, second] = [await embed(texts), await embed(texts)];
    expect(first).toEqual(second);
    expect(first).toHaveLength(2);
    for (const vector of first) {
      expect(vector).toHaveLength(384);
      expect(norm(vector)).toBeCloseTo(1, 5);
    }
    const [alone] = await embed('Invoices are sent monthly.');
    expect(alone).toEqual(first[1]);
  });

  it('put texts that share meaning closer than unrelated ones', async () => {
    const [query, paraphrase, related, unrelated] = await embed([
      'How can I reset my password?',
      'Steps to reset a forgotten password',
      'Password resets require the account email',
      'The cafeteria serves lunch from noon',
    ]);
    expect(dot(query!, paraphrase!)).toBeGreaterThan(dot(query!, unrelated!));
    expect(dot(query!, related!)).toBeGreaterThan(dot(query!, unrelated!));
    expect(dot(query!, paraphrase!)).toBeGreaterThan(0.3);
    expect(Math.abs(dot(query!, unrelated!))).toBeLessThan(0.2);
  });

  it('honours dimensions, float and base64 encodings alike', async () => {
    const [small] = await embed('refund policy', { dimensions: 64 });
    expect(small).toHaveLength(64);
    expect(norm(small!)).toBeCloseTo(1, 5);
    // The SDK asks for base64 by default and decodes it; an explicit float request gets the same numbers.
    const [asFloat] = await embed('refund policy', { encoding_format: 'float', dimensions: 64 });
    expect(asFloat).toEqual(small);
  });

  it('accepts token arrays and reports prompt tokens from the tokenizer', async () => {
    const text = 'Shipping is free above 50 EUR.';
    const fromTokens = await client.embeddings.create({ model, input: [encode(text)] });
    const fromText = await client.embeddings.create({ model, input: text });
    expect(Array.from(fromTokens.data[0]!.embedding)).toEqual(Array.from(fromText.data[0]!.embedding));
    expect(fromText.usage).toEqual({ prompt_tokens: countTokens(text), total_tokens: countTokens(text) });
    expect(fromText.model).toBe(model);
  });

  it('refuse empty input and chat models with 400, unknown models with 404', async () => {
    await expect(client.embeddings.create({ model, input: '' })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(client.embeddings.create({ model, input: [] })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(client.embeddings.create({ model: 'enclave-local-chat', input: 'x' })).rejects.toMatchObject({
      status: 400,
      code: 'model_not_supported',
    });
    await expect(client.embeddings.create({ model: 'nope', input: 'x' })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client.embeddings.create({ model, input: [[99_999_999]] })).rejects.toMatchObject({ status: 400, param: 'input' });
  });
});
