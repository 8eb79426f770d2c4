// Streaming from the local model through the openai SDK: text and tool-call
// deltas reassemble to the non-streamed answer, usage arrives in the last chunk,
// and the simulated latency delays the first token and paces the rest.
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

const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
  {
    role: 'system',
    content: 'You answer questions about the Orion project.\nThe Orion launch is planned for 14 March.\nThe Orion budget is 2.5 million EUR.',
  },
  { role: 'user', content: 'When is the Orion launch?' },
];

const lookupTool: OpenAI.Chat.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'lookup_order',
    parameters: { type: 'object', properties: { order_id: { type: 'integer' } }, required: ['order_id'] },
  },
};

/** Opens the stream and reads it to the end; times are measured from the request. */
async function collect(open: () => Promise<AsyncIterable<OpenAI.Chat.ChatCompletionChunk>>) {
  const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
  const firstContentAt: number[] = [];
  const started = performance.now();
  const stream = await open();
  for await (const chunk of stream) {
    if (chunk.choices[0]?.delta.content) firstContentAt.push(performance.now() - started);
    chunks.push(chunk);
  }
  const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
  return { chunks, text, firstContentMs: firstContentAt[0] ?? Number.NaN, totalMs: performance.now() - started };
}

describe('streaming', () => {
  it('streams the same text as the plain answer, token by token, with usage in the last chunk', async () => {
    const plain = await client.chat.completions.create({ model: 'enclave-local-chat', messages });
    const { chunks, text } = await collect(() =>
      client.chat.completions.create({
        model: 'enclave-local-chat',
        messages,
        stream: true,
        stream_options: { include_usage: true },
      }),
    );

    expect(text).toBe(plain.choices[0]!.message.content);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    const contentChunks = chunks.filter((c) => c.choices[0]?.delta.content);
    expect(contentChunks).toHaveLength(plain.usage!.completion_tokens);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual(plain.usage);
  });

  it('reassembles tool-call deltas into the same call as the plain answer', async () => {
    const request = {
      model: 'enclave-local-chat',
      tools: [lookupTool],
      messages: [{ role: 'user' as const, content: 'call lookup_order with order_id 42' }],
    };
    const plain = await client.chat.completions.create(request);
    const { chunks } = await collect(() =>
      client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } }),
    );
    const calls: { id?: string; name?: string; arguments: string }[] = [];
    for (const chunk of chunks) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        const call = (calls[delta.index] ??= { arguments: '' });
        if (delta.id) call.id = delta.id;
        if (delta.function?.name) call.name = delta.function.name;
        call.arguments += delta.function?.arguments ?? '';
      }
    }
    const expected = plain.choices[0]!.message.tool_calls![0]! as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
    expect(calls).toEqual([{ id: expected.id, name: 'lookup_order', arguments: expected.function.arguments }]);
    expect(JSON.parse(calls[0]!.arguments)).toEqual({ order_id: 42 });
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('tool_calls');
    expect(chunks.at(-1)!.usage).toEqual(plain.usage);
  });

  it('without include_usage no chunk carries usage; max_tokens cuts the stream with "length"', async () => {
    const { chunks, text } = await collect(() =>
      client.chat.completions.create({ model: 'enclave-local-chat', messages, stream: true, max_tokens: 3 }),
    );
    expect(chunks.every((c) => c.usage == null)).toBe(true);
    expect(chunks.filter((c) => c.choices[0]?.delta.content)).toHaveLength(3);
    expect(text).toBe('From the instructions');
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('length');
  });
});

describe('latency', () => {
  it('a per-request time to first token delays the first token, zero by default', async () => {
    const fast = await collect(() => client.chat.completions.create({ model: 'enclave-local-chat', messages, stream: true }));
    const slow = await collect(() =>
      client.chat.completions.create(
        { model: 'enclave-local-chat', messages, stream: true },
        { headers: { 'x-local-model-latency': 'ttft=250' } },
      ),
    );
    expect(slow.text).toBe(fast.text);
    expect(slow.firstContentMs).toBeGreaterThanOrEqual(240);
    expect(fast.firstContentMs).toBeLessThan(slow.firstContentMs);
  });

  it('tokens per second pace the stream and the plain answer alike', async () => {
    const tokens = (await client.chat.completions.create({ model: 'enclave-local-chat', messages })).usage!.completion_tokens;
    const paced = { headers: { 'x-local-model-latency': 'ttft=0,tps=100' } };
    const streamed = await collect(() =>
      client.chat.completions.create({ model: 'enclave-local-chat', messages, stream: true }, paced),
    );
    const expectedMs = ((tokens - 1) * 1000) / 100;
    expect(streamed.totalMs).toBeGreaterThanOrEqual(expectedMs - 10);

    const started = performance.now();
    await client.chat.completions.create({ model: 'enclave-local-chat', messages }, paced);
    expect(performance.now() - started).toBeGreaterThanOrEqual(expectedMs - 10);
  });

  it('the server-wide latency option applies to every request', async () => {
    const slowServer = await startLocalModelServer({ latency: { ttftMs: 200 } });
    try {
      const slowClient = new OpenAI({ baseURL: slowServer.url, apiKey: 'unused', maxRetries: 0 });
      const started = performance.now();
      await slowClient.embeddings.create({ model: 'enclave-local-embed', input: 'hello' });
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
      const streamed = await collect(() =>
        slowClient.chat.completions.create({ model: 'enclave-local-chat', messages, stream: true }),
      );
      expect(streamed.firstContentMs).toBeGreaterThanOrEqual(190);
    } finally {
      await slowServer.stop();
    }
  });

  it('enclave-local-chat-slow answers like enclave-local-chat, paced at 300 ms to the first token and 12 tokens/s', async () => {
    const fast = await collect(() => client.chat.completions.create({ model: 'enclave-local-chat', messages, stream: true }));
    const slow = await collect(() => client.chat.completions.create({ model: 'enclave-local-chat-slow', messages, stream: true }));
    expect(slow.text).toBe(fast.text);
    const tokens = slow.chunks.filter((c) => c.choices[0]?.delta.content).length;
    expect(tokens).toBeGreaterThan(3);
    expect(slow.firstContentMs).toBeGreaterThanOrEqual(290);
    expect(slow.totalMs).toBeGreaterThanOrEqual(300 + ((tokens - 1) * 1000) / 12 - 10);
    // A request's own latency header still wins over the model's.
    const quick = await collect(() =>
      client.chat.completions.create({ model: 'enclave-local-chat-slow', messages, stream: true }, { headers: { 'x-local-model-latency': 'ttft=0,tps=0' } }),
    );
    expect(quick.text).toBe(fast.text);
    expect(quick.totalMs).toBeLessThan(slow.totalMs);
  });

  it('a client that aborts mid-stream leaves the server serving others', async () => {
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'enclave-local-chat', messages, stream: true },
      { headers: { 'x-local-model-latency': 'tps=20' }, signal: controller.signal },
    );
    const seen: string[] = [];
    // The SDK ends the iteration (or throws, depending on timing) once aborted.
    try {
      for await (const chunk of stream) {
        seen.push(chunk.choices[0]?.delta.content ?? '');
        if (seen.length === 2) controller.abort();
      }
    } catch (error) {
      expect((error as Error).name).toMatch(/Abort/);
    }
    expect(seen).toHaveLength(2);
    const after = await client.chat.completions.create({ model: 'enclave-local-chat', messages });
    expect(after.choices[0]!.message.content).toContain('The Orion launch is planned for 14 March.');
  });
});
