// The local model's chat completions, reached over HTTP through the openai SDK
// as every caller does: listing, quoting answers, tool calls, tool results,
// structured output, limits and real token counts.
import OpenAI from 'openai';
import { encodeChat, countTokens } from 'gpt-tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalModelServer, type LocalModelServer } from './local-model-server';

let server: LocalModelServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startLocalModelServer({ port: 0 });
  client = new OpenAI({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => server.stop());

const SUPPORT_PROMPT = [
  'You are the support assistant of Acme Widgets.',
  'Refunds are paid back within 5 business days of the return arriving.',
  'Shipping is free for orders above 50 EUR.',
  'Our office is closed on public holidays.',
].join('\n');

const weatherTool: OpenAI.Chat.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['city', 'unit'],
    },
  },
};
const orderTool: OpenAI.Chat.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'lookup_order',
    description: 'Find an order by its number',
    parameters: {
      type: 'object',
      properties: { order_id: { type: 'integer' }, include_items: { type: 'boolean' } },
      required: ['order_id'],
    },
  },
};

describe('models', () => {
  it('lists the chat, utility and embedding models', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['enclave-local-chat', 'enclave-local-utility', 'enclave-local-embed', 'enclave-local-semantic']);
    const one = await client.models.retrieve('enclave-local-utility');
    expect(one).toMatchObject({ id: 'enclave-local-utility', object: 'model', owned_by: 'enclave' });
  });

  it('answers 404 model_not_found for a model it does not serve', async () => {
    const error = await client.chat.completions
      .create({ model: 'gpt-9', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
  });
});

describe('plain answers', () => {
  it('quotes the system prompt lines most relevant to the question', async () => {
    const completion = await client.chat.completions.create({
      model: 'enclave-local-chat',
      messages: [
        { role: 'system', content: SUPPORT_PROMPT },
        { role: 'user', content: 'How long until my refund is paid?' },
      ],
    });
    const answer = completion.choices[0]!.message.content!;
    expect(answer.startsWith('From the instructions: ')).toBe(true);
    expect(answer).toContain('Refunds are paid back within 5 business days of the return arriving.');
    expect(answer).not.toContain('public holidays');
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.object).toBe('chat.completion');
  });

  it('makes retrieved context and earlier turns visible, labelled by where they came from', async () => {
    const completion = await client.chat.completions.create({
      model: 'enclave-local-chat',
      messages: [
        { role: 'system', content: 'You are a travel helper.' },
        { role: 'system', content: 'Context:\nThe Lisbon office opens at 9:00.\nThe Porto office opens at 8:30.' },
        { role: 'user', content: 'I am travelling to Porto next week.' },
        { role: 'assistant', content: 'Noted.' },
        { role: 'user', content: 'When does the Porto office open?' },
      ],
    });
    const answer = completion.choices[0]!.message.content!;
    // Up to three lines, best first, shown in the order they appear.
    expect(answer).toBe(
      [
        'From the instructions: The Lisbon office opens at 9:00. The Porto office opens at 8:30.',
        'From the conversation: I am travelling to Porto next week.',
      ].join('\n'),
    );
  });

  it('the utility model quotes one line; with no overlap the first instruction line is quoted', async () => {
    const utility = await client.chat.completions.create({
      model: 'enclave-local-utility',
      messages: [
        { role: 'system', content: SUPPORT_PROMPT },
        { role: 'user', content: 'Is shipping free, and how do refunds work?' },
      ],
    });
    expect(utility.choices[0]!.message.content!.split(/(?<=\.) /)).toHaveLength(1);

    const unrelated = await client.chat.completions.create({
      model: 'enclave-local-chat',
      messages: [
        { role: 'system', content: SUPPORT_PROMPT },
        { role: 'user', content: 'Quantum chromodynamics?' },
      ],
    });
    expect(unrelated.choices[0]!.message.content).toBe('From the instructions: You are the support assistant of Acme Widgets.');
  });

  it('is deterministic: the same request gives the same answer and usage', async () => {
    const request = {
      model: 'enclave-local-chat',
      messages: [
        { role: 'system' as const, content: SUPPORT_PROMPT },
        { role: 'user' as const, content: 'Do you ship for free?' },
      ],
    };
    const [a, b] = await Promise.all([client.chat.completions.create(request), client.chat.completions.create(request)]);
    expect(a.choices[0]!.message.content).toBe(b.choices[0]!.message.content);
    expect(a.usage).toEqual(b.usage);
  });

  it('counts prompt and completion tokens exactly as gpt-tokenizer does', async () => {
    const messages = [
      { role: 'system' as const, content: SUPPORT_PROMPT },
      { role: 'user' as const, content: 'When is the office closed?' },
    ];
    const completion = await client.chat.completions.create({ model: 'enclave-local-chat', messages });
    const answer = completion.choices[0]!.message.content!;
    expect(completion.usage!.prompt_tokens).toBe(encodeChat(messages, 'gpt-4o').length);
    expect(completion.usage!.completion_tokens).toBe(countTokens(answer));
    expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens);

    // Offered tools count as their JSON; a tool call counts its name and arguments.
    const toolMessages = [{ role: 'user' as const, content: 'call lookup_order with order_id 42' }];
    const withTools = await client.chat.completions.create({ model: 'enclave-local-chat', messages: toolMessages, tools: [orderTool] });
    const call = withTools.choices[0]!.message.tool_calls![0]! as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
    expect(withTools.usage!.prompt_tokens).toBe(encodeChat(toolMessages, 'gpt-4o').length + countTokens(JSON.stringify([orderTool])));
    expect(withTools.usage!.completion_tokens).toBe(countTokens(call.function.name) + countTokens(call.function.arguments));
  });

  it('honours max_completion_tokens and max_tokens with finish_reason "length", and stop sequences', async () => {
    const messages = [
      { role: 'system' as const, content: SUPPORT_PROMPT },
      { role: 'user' as const, content: 'How long until my refund is paid?' },
    ];
    const cut = await client.chat.completions.create({ model: 'enclave-local-chat', messages, max_completion_tokens: 4 });
    expect(cut.choices[0]!.finish_reason).toBe('length');
    expect(cut.usage!.completion_tokens).toBe(4);
    expect(cut.choices[0]!.message.content).toBe('From the instructions:');

    const legacy = await client.chat.completions.create({ model: 'enclave-local-chat', messages, max_tokens: 2 });
    expect(legacy.choices[0]!.finish_reason).toBe('length');
    expect(legacy.usage!.completion_tokens).toBe(2);

    const stopped = await client.chat.completions.create({ model: 'enclave-local-chat', messages, stop: [':'] });
    expect(stopped.choices[0]!.message.content).toBe('From the instructions');
    expect(stopped.choices[0]!.finish_reason).toBe('stop');
  });
});

describe('tool calls', () => {
  it('calls the tool the user names, with arguments fitted to its schema', async () => {
    const completion = await client.chat.completions.create({
      model: 'enclave-local-chat',
      tools: [orderTool, weatherTool],
      messages: [{ role: 'user', content: 'Please use get_weather for Paris in fahrenheit' }],
    });
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const call = choice.message.tool_calls![0]! as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
    expect(choice.message.tool_calls).toHaveLength(1);
    expect(call.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris', unit: 'fahrenheit' });
  });

  it('reads key value, key=value, key: value and quoted values', async () => {
    const args = async (content: string, tool = orderTool) => {
      const completion = await client.chat.completions.create({
        model: 'enclave-local-chat',
        tools: [tool],
        messages: [{ role: 'user', content }],
      });
      const call = completion.choices[0]!.message.tool_calls![0]! as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
      return JSON.parse(call.function.arguments) as Record<string, unknown>;
    };
    expect(await args('call lookup_order with order_id 42')).toEqual({ order_id: 42 });
    expect(await args('lookup_order order_id=7 include_items=yes')).toEqual({ order_id: 7, include_items: true });
    expect(await args('Run lookup order, order id: 1234.')).toEqual({ order_id: 1234 });
    expect(await args('please call lookup_order for my order 99')).toEqual({ order_id: 99 });
    expect(await args('use get_weather with city "New York" and unit: celsius', weatherTool)).toEqual({
      city: 'New York',
      unit: 'celsius',
    });
  });

  it('calls every tool named, in order, unless parallel tool calls are off; "none" never calls', async () => {
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
      { role: 'user', content: 'call lookup_order with order_id 5 then get_weather for Oslo' },
    ];
    const both = await client.chat.completions.create({ model: 'enclave-local-chat', tools: [weatherTool, orderTool], messages });
    const names = both.choices[0]!.message.tool_calls!.map((c) => (c as OpenAI.Chat.ChatCompletionMessageFunctionToolCall).function.name);
    expect(names).toEqual(['lookup_order', 'get_weather']);
    expect(new Set(both.choices[0]!.message.tool_calls!.map((c) => c.id)).size).toBe(2);

    const one = await client.chat.completions.create({
      model: 'enclave-local-chat',
      tools: [weatherTool, orderTool],
      parallel_tool_calls: false,
      messages,
    });
    expect(one.choices[0]!.message.tool_calls).toHaveLength(1);

    const none = await client.chat.completions.create({
      model: 'enclave-local-chat',
      tools: [weatherTool, orderTool],
      tool_choice: 'none',
      messages,
    });
    expect(none.choices[0]!.message.tool_calls).toBeUndefined();
    expect(none.choices[0]!.finish_reason).toBe('stop');
  });

  it('a forced or required tool choice calls a tool even when none is named', async () => {
    const forced = await client.chat.completions.create({
      model: 'enclave-local-chat',
      tools: [weatherTool, orderTool],
      tool_choice: { type: 'function', function: { name: 'lookup_order' } },
      messages: [{ role: 'user', content: 'where is 314?' }],
    });
    const forcedCall = forced.choices[0]!.message.tool_calls![0]! as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
    expect(forcedCall.function.name).toBe('lookup_order');
    expect(JSON.parse(forcedCall.function.arguments)).toEqual({ order_id: 314 });

    const required = await client.chat.completions.create({
      model: 'enclave-local-chat',
      tools: [orderTool, weatherTool],
      tool_choice: 'required',
      messages: [{ role: 'user', content: 'Is it raining in the city of Rome? What is the weather?' }],
    });
    const requiredCall = required.choices[0]!.message.tool_calls![0]! as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
    expect(requiredCall.function.name).toBe('get_weather');
  });

  it('answers from the tool result once it is in the conversation', async () => {
    const question = 'use get_weather for Paris';
    const first = await client.chat.completions.create({
      model: 'enclave-local-chat',
      tools: [weatherTool],
      messages: [{ role: 'user', content: question }],
    });
    const call = first.choices[0]!.message.tool_calls![0]!;
    const followUp = await client.chat.completions.create({
      model: 'enclave-local-chat',
      tools: [weatherTool],
      messages: [
        { role: 'user', content: question },
        { role: 'assistant', content: null, tool_calls: first.choices[0]!.message.tool_calls },
        { role: 'tool', tool_call_id: call.id, content: '{"temperature": 18, "sky": "clear"}' },
      ],
    });
    expect(followUp.choices[0]!.finish_reason).toBe('stop');
    expect(followUp.choices[0]!.message.content).toBe('From get_weather: {"temperature": 18, "sky": "clear"}');
    expect(followUp.usage!.prompt_tokens).toBeGreaterThan(first.usage!.prompt_tokens);
  });
});

describe('structured output', () => {
  it('json_schema answers valid JSON for the schema, taken from the question and the answer', async () => {
    const completion = await client.chat.completions.create({
      model: 'enclave-local-chat',
      messages: [
        { role: 'system', content: SUPPORT_PROMPT },
        { role: 'user', content: 'Classify this as priority high: my refund has not arrived' },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'ticket',
          strict: true,
          schema: {
            type: 'object',
            properties: {
              summary: { type: 'string' },
              priority: { type: 'string', enum: ['low', 'normal', 'high'] },
              confidence: { type: 'number', minimum: 0, maximum: 1 },
              tags: { type: 'array', items: { type: 'string' } },
            },
            required: ['summary', 'priority', 'confidence', 'tags'],
            additionalProperties: false,
          },
        },
      },
    });
    const parsed = JSON.parse(completion.choices[0]!.message.content!);
    expect(parsed).toEqual({
      summary: 'From the instructions: Refunds are paid back within 5 business days of the return arriving.',
      priority: 'high',
      confidence: 0,
      tags: [''],
    });
  });

  it('json_object answers {"answer": …}', async () => {
    const completion = await client.chat.completions.create({
      model: 'enclave-local-chat',
      messages: [
        { role: 'system', content: SUPPORT_PROMPT },
        { role: 'user', content: 'Is shipping free? Answer in JSON.' },
      ],
      response_format: { type: 'json_object' },
    });
    expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({
      answer: 'From the instructions: Shipping is free for orders above 50 EUR.',
    });
  });
});
