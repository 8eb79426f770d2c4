// What the local model says, decided from the request alone (same request, same
// reply): a tool call when the user names a tool, an answer quoting the tool
// results once they are in, otherwise the instruction and context lines most
// relevant to the question. Structured outputs are filled from that answer.
import { contextLines, mostRelevantLines, quoteLines } from './context-quotes';
import type { LocalModel } from './models';
import type { ChatCompletionRequest, ChatMessage, ToolDefinition } from './request-schemas';
import { contentText } from './request-schemas';
import { escapeRegExp, fillSchema, valueNamed } from './schema-filling';

export type ToolCallReply = { name: string; arguments: string };
export type ModelReply = { type: 'text'; text: string } | { type: 'tool_calls'; calls: ToolCallReply[] };

/** Tool results are quoted up to this many characters each. */
const TOOL_RESULT_QUOTE_CHARS = 4000;

export function replyTo(request: ChatCompletionRequest, model: LocalModel): ModelReply {
  const { messages } = request;
  const lastUser = messages.findLastIndex((m) => m.role === 'user');
  const question = lastUser >= 0 ? contentText(messages[lastUser]!.content) : '';
  const tools = request.tools ?? [];
  const choice = tools.length ? (request.tool_choice ?? 'auto') : 'none';
  const freshResults = messages.slice(lastUser + 1).filter((m) => m.role === 'tool');

  if (typeof choice === 'object') {
    const forced = tools.find((t) => t.function.name === choice.function.name)!;
    return toolCalls([forced], question, tools);
  }
  if (choice !== 'none') {
    if (freshResults.length && choice === 'auto') return text(answerFromToolResults(messages, freshResults), request);
    const named = toolsNamedIn(question, tools);
    if (named.length) return toolCalls(request.parallel_tool_calls === false ? named.slice(0, 1) : named, question, tools);
    if (choice === 'required') return toolCalls([bestToolFor(question, tools)], question, tools);
  }
  if (freshResults.length) return text(answerFromToolResults(messages, freshResults), request);
  return text(answerFromContext(messages, lastUser, question, model.quotedLines), request);
}

/** Tools whose name the question contains (as written, or with spaces for underscores), in order of mention. */
function toolsNamedIn(question: string, tools: ToolDefinition[]): ToolDefinition[] {
  return tools
    .map((tool) => ({ tool, at: mentionAt(tool.function.name, question) }))
    .filter((m) => m.at >= 0)
    .sort((a, b) => a.at - b.at)
    .map((m) => m.tool);
}

function mentionAt(name: string, text: string): number {
  const spaced = name.split(/[_-]+/).filter(Boolean).map(escapeRegExp).join('[\\s_-]+');
  const match = new RegExp(`(?<![\\w-])(?:${escapeRegExp(name)}|${spaced})(?![\\w-])`, 'i').exec(text);
  return match ? match.index : -1;
}

/** For tool_choice "required" with no tool named: the one whose name and description share most words. */
function bestToolFor(question: string, tools: ToolDefinition[]): ToolDefinition {
  const lines = tools.map((t, order) => ({
    label: '',
    text: `${t.function.name.replace(/[_-]+/g, ' ')} ${t.function.description ?? ''}`,
    order,
  }));
  const best = mostRelevantLines(lines, question, 1)[0];
  return tools[best?.order ?? 0]!;
}

function toolCalls(chosen: ToolDefinition[], question: string, tools: ToolDefinition[]): ModelReply {
  const freeText = leftoverText(question, tools);
  return {
    type: 'tool_calls',
    calls: chosen.map((tool) => ({
      name: tool.function.name,
      arguments: JSON.stringify(fillSchema(tool.function.parameters ?? { type: 'object', properties: {} }, { text: question, freeText })),
    })),
  };
}

const LEADING_FILLER = /^(?:(?:please|can|could|would|you|kindly|now|then|and|use|call|run|invoke|the|a|tool|function|for|with|on|about|to|of|in|me|look|up|get|find|check|by)\b[\s,:]*)+/i;
const TRAILING_FILLER = /[\s,:;.!?]*(?:\b(?:please|thanks|thank you|tool|function|and|in|for|with|on|at|to|of|using)\b[\s,:;.!?]*)*$/i;

/** The question without the tool names, `key value` pairs and filler words: the free-text argument. */
function leftoverText(question: string, tools: ToolDefinition[]): string {
  let rest = question;
  for (const tool of tools) {
    const spaced = tool.function.name.split(/[_-]+/).map(escapeRegExp).join('[\\s_-]+');
    rest = rest.replace(new RegExp(`(?<![\\w-])(?:${escapeRegExp(tool.function.name)}|${spaced})(?![\\w-])`, 'gi'), ' ');
    const properties = (tool.function.parameters?.properties ?? {}) as Record<string, { enum?: unknown[] }>;
    for (const [key, property] of Object.entries(properties)) {
      const value = valueNamed(key, rest);
      if (value !== undefined) {
        rest = rest.replace(new RegExp(`${escapeRegExp(key)}\\s*(?:=|:|\\s+is\\s+|\\s)\\s*["“']?${escapeRegExp(value)}["”']?`, 'i'), ' ');
      }
      // An enum value the text mentions went to its property ("in fahrenheit").
      for (const option of Array.isArray(property?.enum) ? property.enum : []) {
        rest = rest.replace(new RegExp(`(?:\\b(?:in|as|with|using)\\s+)?\\b${escapeRegExp(String(option))}\\b`, 'gi'), ' ');
      }
    }
  }
  rest = rest.replace(/\s+/g, ' ').trim().replace(LEADING_FILLER, '').replace(TRAILING_FILLER, '').trim();
  return rest || question.trim();
}

function answerFromToolResults(messages: ChatMessage[], results: ChatMessage[]): string {
  const names = new Map<string, string>();
  for (const m of messages) {
    if (m.role === 'assistant') for (const call of m.tool_calls ?? []) names.set(call.id, call.function.name);
  }
  return results
    .map((result) => {
      const name = result.role === 'tool' ? (names.get(result.tool_call_id) ?? 'the tool') : 'the tool';
      let body = contentText(result.content).trim();
      if (body.length > TOOL_RESULT_QUOTE_CHARS) body = `${body.slice(0, TOOL_RESULT_QUOTE_CHARS)}…`;
      return `From ${name}: ${body || '(empty result)'}`;
    })
    .join('\n');
}

function answerFromContext(messages: ChatMessage[], lastUser: number, question: string, limit: number): string {
  const sources = messages.filter((_, i) => i !== lastUser);
  const lines = contextLines(sources);
  const relevant = mostRelevantLines(lines, question, limit);
  if (relevant.length) return quoteLines(relevant);
  const firstInstruction = lines.find((l) => l.label === 'From the instructions:');
  if (firstInstruction) return quoteLines([firstInstruction]);
  return question.trim()
    ? `I have no instructions or context to answer from. You asked: ${question.trim()}`
    : 'I have no instructions or context to answer from.';
}

/** Wraps a text answer for response_format: JSON filled from the answer, or the answer itself. */
function text(answer: string, request: ChatCompletionRequest): ModelReply {
  const format = request.response_format;
  if (format?.type === 'json_object') return { type: 'text', text: JSON.stringify({ answer }) };
  if (format?.type === 'json_schema') {
    const schema = format.json_schema.schema ?? { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    const lastUser = request.messages.findLast((m) => m.role === 'user');
    return { type: 'text', text: JSON.stringify(fillSchema(schema, { text: contentText(lastUser?.content), freeText: answer })) };
  }
  return { type: 'text', text: answer };
}
