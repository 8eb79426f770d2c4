// How fast is the local model at zero latency? Method: one server started in
// this process (startLocalModelServer, no simulated latency), reached over HTTP
// through the openai SDK with keep-alive; per scenario 50 warm-up requests, then
// N requests, 8 in flight at a time (the semantic model, a real network, gets 50
// requests after 5 warm-ups, the first of which loads it). Prints req/s and p50/p99 of the whole
// request (for streams: to the last chunk, plus time to first token).
// The client shares the process, so figures are a floor for the server alone.
import OpenAI from 'openai';
import { performance } from 'node:perf_hooks';
import { startLocalModelServer } from '../server/llm/local-model/local-model-server';

const N = 1000;
const WARM_UP = 50;
const CONCURRENCY = 8;

const SYSTEM_PROMPT = [
  'You are the support assistant of Acme Widgets.',
  'Refunds are paid back within 5 business days of the return arriving.',
  'Shipping is free for orders above 50 EUR.',
  'Orders can be cancelled until they are shipped.',
  'Our office is closed on public holidays.',
].join('\n');

type Scenario = {
  name: string;
  run: (client: OpenAI) => Promise<number | undefined>;
  /** Requests measured when not N (slow models). */
  requests?: number;
};

const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
  { role: 'system', content: SYSTEM_PROMPT },
  { role: 'user', content: 'How long until my refund is paid?' },
];

const scenarios: Scenario[] = [
  {
    name: 'chat',
    run: async (client) => {
      await client.chat.completions.create({ model: 'enclave-local-chat', messages });
      return undefined;
    },
  },
  {
    name: 'chat, tool call',
    run: async (client) => {
      await client.chat.completions.create({
        model: 'enclave-local-chat',
        messages: [{ role: 'user', content: 'call lookup_order with order_id 42' }],
        tools: [
          {
            type: 'function',
            function: {
              name: 'lookup_order',
              parameters: { type: 'object', properties: { order_id: { type: 'integer' } }, required: ['order_id'] },
            },
          },
        ],
      });
      return undefined;
    },
  },
  {
    name: 'chat, stream',
    run: async (client) => {
      const started = performance.now();
      let firstToken: number | undefined;
      const stream = await client.chat.completions.create({
        model: 'enclave-local-chat',
        messages,
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const chunk of stream) {
        if (firstToken === undefined && chunk.choices[0]?.delta.content) firstToken = performance.now() - started;
      }
      return firstToken;
    },
  },
  {
    name: 'embeddings, 1 text',
    run: async (client) => {
      await client.embeddings.create({ model: 'enclave-local-embed', input: 'How long until my refund is paid?' });
      return undefined;
    },
  },
  {
    name: 'embeddings, 16 texts',
    run: async (client) => {
      await client.embeddings.create({ model: 'enclave-local-embed', input: SYSTEM_PROMPT.split('\n').concat(Array(11).fill('Where is my parcel?')) });
      return undefined;
    },
  },
  {
    name: 'semantic embeddings, 16 texts',
    requests: 50,
    run: async (client) => {
      await client.embeddings.create({ model: 'enclave-local-semantic', input: SYSTEM_PROMPT.split('\n').concat(Array(11).fill('Where is my parcel?')) });
      return undefined;
    },
  },
];

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function measure(client: OpenAI, scenario: Scenario, count: number) {
  const latencies: number[] = [];
  const firstTokens: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < count) {
        const t0 = performance.now();
        const ttft = await scenario.run(client);
        latencies.push(performance.now() - t0);
        if (ttft !== undefined) firstTokens.push(ttft);
      }
    }),
  );
  const wallMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  firstTokens.sort((a, b) => a - b);
  return {
    scenario: scenario.name,
    requests: count,
    perSecond: Math.round((count / wallMs) * 1000),
    p50Ms: Number(percentile(latencies, 0.5).toFixed(2)),
    p99Ms: Number(percentile(latencies, 0.99).toFixed(2)),
    ttftP50Ms: firstTokens.length ? Number(percentile(firstTokens, 0.5).toFixed(2)) : undefined,
  };
}

async function main() {
  const server = await startLocalModelServer();
  const client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
  const rows = [];
  try {
    for (const scenario of scenarios) {
      const requests = scenario.requests ?? N;
      await measure(client, scenario, Math.min(WARM_UP, Math.ceil(requests / 10)));
      rows.push(await measure(client, scenario, requests));
    }
  } finally {
    await server.stop();
  }
  console.log(`local model at zero latency, ${N} requests per scenario unless stated, ${CONCURRENCY} in flight (openai SDK over HTTP)\n`);
  console.table(rows.map((r) => ({ ...r, ttftP50Ms: r.ttftP50Ms ?? '' })));
  console.log(JSON.stringify(Object.fromEntries(rows.map((r) => [r.scenario, { perSecond: r.perSecond, p50Ms: r.p50Ms, p99Ms: r.p99Ms }]))));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
