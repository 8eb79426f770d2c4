// Bad input never crashes the local model: every malformed request gets an
// OpenAI-style JSON error ({error:{message,type,param,code}}) with 400, 401,
// 404 or 413, and the server keeps answering afterwards.
import OpenAI from 'openai';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalModelServer, type LocalModelServer } from './local-model-server';

let server: LocalModelServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startLocalModelServer({ maxBodyBytes: 64 * 1024 });
  client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => server.stop());

const chat = 'enclave-local-chat';

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as { error: Record<string, unknown> } };
}

/** Sends `size` bytes with chunked framing (no Content-Length) and returns the status. */
function postChunked(path: string, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${server.url}${path}`);
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    const piece = Buffer.alloc(16 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('bad requests', () => {
  it('answer 400 with the offending field for schema violations', async () => {
    const cases: [object, string][] = [
      [{ model: chat }, 'messages'],
      [{ model: chat, messages: [] }, 'messages'],
      [{ model: chat, messages: [{ role: 'wizard', content: 'hi' }] }, 'messages[0].role'],
      [{ model: chat, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] }, 'messages[0].content'],
      [{ model: chat, messages: [{ role: 'user', content: 'hi' }], n: 2 }, 'n'],
      [{ model: chat, messages: [{ role: 'user', content: 'hi' }], max_tokens: 0 }, 'max_tokens'],
      [{ model: chat, messages: [{ role: 'user', content: 'hi' }], tool_choice: { type: 'function', function: { name: 'ghost' } } }, 'tool_choice'],
      [{ model: chat, messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'bad name!' } }] }, 'tools[0].function.name'],
    ];
    for (const [body, param] of cases) {
      const error = await client.chat.completions
        .create(body as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
        .catch((e: unknown) => e);
      expect(error, JSON.stringify(body)).toBeInstanceOf(OpenAI.BadRequestError);
      const bad = error as InstanceType<typeof OpenAI.BadRequestError>;
      expect(bad.param).toBe(param);
      expect(bad.type).toBe('invalid_request_error');
      expect(bad.message).toMatch(/Invalid '/);
    }
  });

  it('answer 400 for a body that is not JSON, in OpenAI error shape', async () => {
    const { status, body } = await post('/chat/completions', '{"model": "enclave-local-chat", "messages": [');
    expect(status).toBe(400);
    expect(body).toEqual({
      error: {
        message: 'We could not parse the JSON body of your request. The body must be valid JSON.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_json',
      },
    });
  });

  it('answer 413 above the body cap, declared or chunked, and keep serving', async () => {
    const big = JSON.stringify({ model: chat, messages: [{ role: 'user', content: 'x'.repeat(70 * 1024) }] });
    const declared = await post('/chat/completions', big);
    expect(declared.status).toBe(413);
    expect(declared.body.error).toMatchObject({ type: 'invalid_request_error', code: 'request_too_large' });
    expect(await postChunked('/embeddings', 256 * 1024)).toBe(413);

    const ok = await client.chat.completions.create({ model: chat, messages: [{ role: 'user', content: 'still there?' }] });
    expect(ok.choices[0]!.finish_reason).toBe('stop');
  });

  it('answer 404 for unknown routes and methods, 400 for a malformed latency header', async () => {
    const unknown = await post('/completions', '{}');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ type: 'invalid_request_error', message: 'Invalid URL (POST /v1/completions)' });
    const wrongMethod = await fetch(`${server.url}/chat/completions`);
    expect(wrongMethod.status).toBe(404);

    const error = await client.chat.completions
      .create({ model: chat, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-local-model-latency': 'slow' } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, param: 'x-local-model-latency' });
  });

  it('with an API key configured, refuses other keys with 401', async () => {
    const guarded = await startLocalModelServer({ apiKey: 'sk-local-test' });
    try {
      const wrong = new OpenAI({ baseURL: guarded.url, apiKey: 'sk-wrong', maxRetries: 0 });
      await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
      const right = new OpenAI({ baseURL: guarded.url, apiKey: 'sk-local-test', maxRetries: 0 });
      const page = await right.models.list();
      expect(page.data.map((m) => m.id)).toContain('enclave-local-chat');
    } finally {
      await guarded.stop();
    }
  });
});
