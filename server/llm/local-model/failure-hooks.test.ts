// The local model fails on demand like a real provider: 429 with Retry-After,
// 500/503, or a request that never answers, chosen by model name or header.
import OpenAI from 'openai';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalModelServer, type LocalModelServer } from './local-model-server';

let server: LocalModelServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startLocalModelServer();
  client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => server.stop());

const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'hello' }];

describe('failure hooks', () => {
  it('enclave-local-fail-429 answers 429 rate_limit_exceeded with Retry-After', async () => {
    const error = await client.chat.completions.create({ model: 'enclave-local-fail-429', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const limited = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(limited.code).toBe('rate_limit_exceeded');
    expect(limited.headers.get('retry-after')).toBe('1');
  });

  it('the x-local-model-fail header picks 429 with a Retry-After, which the SDK waits out before retrying', async () => {
    const retrying = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 1 });
    const started = performance.now();
    const error = await retrying.embeddings
      .create({ model: 'enclave-local-embed', input: 'x' }, { headers: { 'x-local-model-fail': '429; retry-after=1' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('1');
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('answers 500 and 503 as server errors', async () => {
    await expect(client.chat.completions.create({ model: 'enclave-local-fail-500', messages })).rejects.toMatchObject({
      status: 500,
      type: 'server_error',
    });
    await expect(
      client.chat.completions.create({ model: 'enclave-local-chat', messages }, { headers: { 'x-local-model-fail': '503' } }),
    ).rejects.toBeInstanceOf(OpenAI.InternalServerError);
  });

  it('hangs until the client times out, streaming or not, then serves the next request', async () => {
    await expect(
      client.chat.completions.create({ model: 'enclave-local-hang', messages }, { timeout: 200 }),
    ).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    await expect(
      client.chat.completions.create(
        { model: 'enclave-local-chat', messages, stream: true },
        { timeout: 200, headers: { 'x-local-model-fail': 'hang' } },
      ),
    ).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    const ok = await client.chat.completions.create({ model: 'enclave-local-chat', messages });
    expect(ok.choices[0]!.message.content).toContain('hello');
  });

  it('stop() ends hanging requests instead of waiting for them', async () => {
    const other = await startLocalModelServer();
    const otherClient = new OpenAI({ baseURL: other.url, apiKey: 'unused', maxRetries: 0 });
    const hanging = otherClient.chat.completions.create({ model: 'enclave-local-hang', messages }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await other.stop();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await hanging).toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('refuses an unknown failure kind with 400', async () => {
    await expect(
      client.chat.completions.create({ model: 'enclave-local-chat', messages }, { headers: { 'x-local-model-fail': 'explode' } }),
    ).rejects.toMatchObject({ status: 400, param: 'x-local-model-fail' });
  });
});
