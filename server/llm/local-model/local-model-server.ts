// The local model: an OpenAI-compatible HTTP server (GET /v1/models, POST
// /v1/chat/completions, POST /v1/embeddings) whose answers are deterministic.
//
// Behaviour, for the same request always the same output:
// - Tool calls: when tools are offered and the last user message names one
//   ("use get_weather for Paris", "call lookup_order with order_id 42"), it calls
//   each named tool (the first only if parallel_tool_calls is false), with
//   arguments fitted to the tool's JSON schema (schema-filling.ts): `key value`,
//   `key=value`, `key: value`, `key "quoted"`, then unused quoted strings and
//   numbers, then the leftover words of the message. tool_choice "required" with
//   no tool named calls the tool whose name and description share most words with
//   the message; a named tool_choice always calls that tool; "none" never calls.
// - Tool results: once tool messages follow the last user message, it answers
//   "From <tool>: <result>" for each, quoting the result.
// - Otherwise it quotes the lines of the system/developer messages and earlier
//   turns that share most words with the question ("From the instructions: …",
//   "From the conversation: …", "From earlier tool results: …"); up to three lines
//   for enclave-local-chat, one for enclave-local-utility; the first instruction
//   line when nothing overlaps.
// - response_format json_object answers {"answer": <text>}; json_schema fills the
//   schema from the question's words with the answer text for free strings.
// - usage counts tokens with gpt-tokenizer (token-count.ts); `stop`, max_tokens
//   and max_completion_tokens cut the answer (finish_reason "length").
// - Embeddings: enclave-local-embed hashes word and character n-gram features,
//   L2-normalised, 384 dimensions unless `dimensions` says otherwise
//   (hashed-embedding.ts); enclave-local-semantic runs Universal Sentence Encoder
//   Lite from its npm package, 512 dimensions, loaded on first use (semantic-embedding.ts).
// - Latency: options.latency, overridable per request with the header
//   `x-local-model-latency: ttft=<ms>,tps=<tokens/s>` (latency.ts). The unlisted
//   model enclave-local-chat-slow answers like enclave-local-chat at 300 ms to
//   the first token and 12 tokens/s, so an agent can be watched streaming.
// - Failures on demand (failure-hooks.ts): models enclave-local-fail-429,
//   enclave-local-fail-500, enclave-local-hang, or `x-local-model-fail: 429; retry-after=2 | 500 | 503 | hang`.
// Bad requests get OpenAI-style JSON errors (400, 401, 404, 413), never a crash.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { env } from '../../env';
import { logger } from '../../observability/logger';
import { LocalModelError, fromZodError, invalidRequest } from './api-errors';
import { completeChat, sendCompletion, streamCompletion } from './chat-completions';
import { createEmbeddings } from './embeddings';
import { FAILURE_HEADER, failureFor } from './failure-hooks';
import type { Latency } from './latency';
import { LATENCY_HEADER, NO_LATENCY, latencyFor, replyDurationMs, wait } from './latency';
import { SERVED_MODELS, modelFor, modelObject } from './models';
import type { ModelKind } from './models';
import { chatCompletionRequest, embeddingRequest } from './request-schemas';

export type LocalModelServerOptions = {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Simulated latency for every request; zero by default. */
  latency?: Partial<Latency>;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Largest request body accepted, in bytes (413 above). Default 8 MiB. */
  maxBodyBytes?: number;
};

export type LocalModelServer = {
  /** The OpenAI base URL, e.g. http://127.0.0.1:4010/v1 — give it to the SDK as baseURL. */
  url: string;
  port: number;
  stop(): Promise<void>;
};

/** The options `npm run model:local` and the app use: LOCAL_MODEL_* from server/env.ts. */
export function localModelOptionsFromEnv(): LocalModelServerOptions {
  const e = env();
  return {
    port: e.LOCAL_MODEL_PORT,
    host: e.LOCAL_MODEL_HOST,
    latency: { ttftMs: e.LOCAL_MODEL_TTFT_MS, tokensPerSecond: e.LOCAL_MODEL_TOKENS_PER_SECOND },
    apiKey: e.LOCAL_MODEL_API_KEY,
  };
}

const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

type Settings = { latency: Latency; apiKey?: string; maxBodyBytes: number; stopping: AbortSignal };

export async function startLocalModelServer(options: LocalModelServerOptions = {}): Promise<LocalModelServer> {
  const { port = 0, host = '127.0.0.1' } = options;
  const stopping = new AbortController();
  const settings: Settings = {
    latency: { ...NO_LATENCY, ...options.latency },
    apiKey: options.apiKey,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    stopping: stopping.signal,
  };
  const server = createServer((req, res) => {
    handle(req, res, settings).catch((error: unknown) => answerError(res, error));
  });
  server.keepAliveTimeout = 5_000;
  await listen(server, port, host);
  const bound = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${bound}/v1`,
    port: bound,
    stop: async () => {
      stopping.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, settings: Settings): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://local').pathname.replace(/\/+$/, '');
  const route = `${req.method} ${path}`;
  if (route === 'GET /health') return json(res, 200, { status: 'ok' });
  checkApiKey(req, settings.apiKey);

  if (route === 'GET /v1/models') return json(res, 200, { object: 'list', data: SERVED_MODELS.map(modelObject) });
  if (req.method === 'GET' && path.startsWith('/v1/models/')) {
    const id = decodeURIComponent(path.slice('/v1/models/'.length));
    const model = SERVED_MODELS.find((m) => m.id === id);
    if (!model) throw new LocalModelError(404, `The model '${id}' does not exist`, { type: 'invalid_request_error', param: 'model', code: 'model_not_found' });
    return json(res, 200, modelObject(model));
  }

  // One signal for "stop working on this request": the client left or the server stops.
  const gone = new AbortController();
  res.on('close', () => gone.abort());
  const signal = AbortSignal.any([gone.signal, settings.stopping]);

  if (route === 'POST /v1/chat/completions') {
    const request = parse(chatCompletionRequest, await readJson(req, settings.maxBodyBytes));
    const { model, latency } = await admit(req, request.model, 'chat', settings, signal);
    if (signal.aborted) return;
    const completion = completeChat(request, model);
    if (request.stream) return streamCompletion(res, completion, request.stream_options?.include_usage === true, latency, signal);
    return sendCompletion(res, completion, latency, signal);
  }
  if (route === 'POST /v1/embeddings') {
    const request = parse(embeddingRequest, await readJson(req, settings.maxBodyBytes));
    const { model, latency } = await admit(req, request.model, 'embedding', settings, signal);
    if (signal.aborted) return;
    const body = await createEmbeddings(request, model);
    if (signal.aborted) return;
    if (!(await wait(replyDurationMs(latency, 1), signal))) return;
    return json(res, 200, body);
  }
  throw new LocalModelError(404, `Invalid URL (${req.method} ${path})`, { type: 'invalid_request_error', code: 'unknown_url' });
}

/** The model, the request's latency, and the failure hooks (a hang waits here until the client gives up). */
async function admit(req: IncomingMessage, modelId: string, kind: ModelKind, settings: Settings, signal: AbortSignal) {
  const model = modelFor(modelId, kind);
  const latency = latencyFor(req.headers[LATENCY_HEADER], { ...settings.latency, ...model.latency });
  const failure = failureFor(model, req.headers[FAILURE_HEADER]);
  if (failure?.kind === 'error') throw failure.error;
  if (failure?.kind === 'hang') await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  return { model, latency };
}

function checkApiKey(req: IncomingMessage, apiKey: string | undefined) {
  if (!apiKey) return;
  if (req.headers.authorization !== `Bearer ${apiKey}`) {
    throw new LocalModelError(401, 'Incorrect API key provided.', { type: 'invalid_request_error', code: 'invalid_api_key' });
  }
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw fromZodError(parsed.error);
  return parsed.data;
}

/** The body as JSON, refusing more than `limit` bytes whether declared or streamed. */
async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const tooLarge = () =>
    new LocalModelError(413, `The request body is larger than ${limit} bytes.`, { type: 'invalid_request_error', code: 'request_too_large' });
  if (Number(req.headers['content-length']) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest(
      'We could not parse the JSON body of your request. The body must be valid JSON.',
      null,
      'invalid_json',
    );
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function answerError(res: ServerResponse, error: unknown) {
  const known =
    error instanceof LocalModelError
      ? error
      : new LocalModelError(500, 'The local model failed to process the request.', { type: 'server_error' });
  if (!(error instanceof LocalModelError)) logger.error({ err: error }, 'local model: unexpected error');
  if (res.headersSent) return void res.destroy();
  // A refused body is left unread: close the connection once the answer is out.
  const headers = { ...known.details.headers, ...(known.status === 413 ? { connection: 'close' } : {}) };
  json(res, known.status, known.body(), headers);
  if (known.status === 413) res.on('finish', () => res.socket?.destroy());
}
