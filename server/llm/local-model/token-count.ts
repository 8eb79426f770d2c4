// Token counts from a real tokenizer (gpt-tokenizer, o200k_base as for GPT-4o).
// prompt_tokens = encodeChat(messages, 'gpt-4o') — each message's role and text,
// with an assistant's tool calls appended to its text as JSON — plus the tokens of
// JSON.stringify(tools) and of a json_schema response format when present.
// completion_tokens = the tokens of the answer text, or of each tool call's
// name plus its arguments.
import { decode, decodeGenerator, encode, encodeChat } from 'gpt-tokenizer';
import type { ToolCallReply } from './chat-reply';
import type { ChatCompletionRequest } from './request-schemas';
import { contentText } from './request-schemas';

export const TOKENIZER_MODEL = 'gpt-4o';

export function promptTokens(request: ChatCompletionRequest): number {
  const chat = request.messages.map((m) => {
    let text = contentText(m.content);
    if (m.role === 'assistant' && m.tool_calls?.length) {
      text += JSON.stringify(m.tool_calls.map((c) => ({ name: c.function.name, arguments: c.function.arguments })));
    }
    return { role: m.role, content: text };
  });
  let count = encodeChat(chat, TOKENIZER_MODEL).length;
  if (request.tools?.length) count += encode(JSON.stringify(request.tools)).length;
  const format = request.response_format;
  if (format?.type === 'json_schema' && format.json_schema.schema) count += encode(JSON.stringify(format.json_schema.schema)).length;
  return count;
}

export function toolCallTokens(call: ToolCallReply): number {
  return encode(call.name).length + encode(call.arguments).length;
}

export function textTokens(text: string): number[] {
  return encode(text);
}

export function inputTokens(text: string): number {
  return encode(text).length;
}

/** The text of `tokens`, dropping a character cut in half at the end. */
export function decodeTokens(tokens: number[]): string {
  return decode(tokens).replace(/\uFFFD+$/, '');
}

/** The text of `tokens` as one piece per token (a character split across tokens comes out whole). */
export function tokenPieces(tokens: number[]): string[] {
  return [...decodeGenerator(tokens)];
}
