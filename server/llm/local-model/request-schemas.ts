// The request bodies the local model accepts, as zod schemas. Fields OpenAI
// defines that cannot change a deterministic answer (temperature, seed, …) are
// accepted and ignored; unknown fields are dropped, as OpenAI-compatible servers do.
import { z } from 'zod';

/** A JSON schema, kept as plain data: only schema-filling.ts reads into it. */
export const jsonSchema = z.record(z.string(), z.unknown());
export type JsonSchema = { [key: string]: unknown };

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const content = z.union([z.string(), z.array(textPart)], {
  error: 'Content must be a string or an array of text parts (the local model reads text only).',
});

const toolCall = z.object({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

const name = z.string().max(256).optional();

const message = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content, name }),
  z.object({ role: z.literal('developer'), content, name }),
  z.object({ role: z.literal('user'), content, name }),
  z.object({
    role: z.literal('assistant'),
    content: content.nullish(),
    name,
    tool_calls: z.array(toolCall).optional(),
  }),
  z.object({ role: z.literal('tool'), content, tool_call_id: z.string().min(1) }),
]);
export type ChatMessage = z.infer<typeof message>;

const toolName = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'Tool names are 1 to 64 letters, digits, underscores or dashes.');

const tool = z.object({
  type: z.literal('function'),
  function: z.object({
    name: toolName,
    description: z.string().optional(),
    parameters: jsonSchema.optional(),
    strict: z.boolean().nullish(),
  }),
});
export type ToolDefinition = z.infer<typeof tool>;

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: toolName }) }),
]);

const responseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string().min(1).max(64),
      description: z.string().optional(),
      schema: jsonSchema.optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);
export type ResponseFormat = z.infer<typeof responseFormat>;

const tokenLimit = z.number().int().min(1).max(1_000_000).nullish();

export const chatCompletionRequest = z
  .object({
    model: z.string().min(1),
    messages: z.array(message).min(1, 'At least one message is required.').max(10_000),
    tools: z.array(tool).max(128).optional(),
    tool_choice: toolChoice.optional(),
    parallel_tool_calls: z.boolean().optional(),
    response_format: responseFormat.optional(),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
    max_tokens: tokenLimit,
    max_completion_tokens: tokenLimit,
    stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
    n: z.literal(1, { error: 'The local model returns one choice (n must be 1).' }).nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    seed: z.number().int().nullish(),
    user: z.string().optional(),
  })
  .superRefine((request, ctx) => {
    const choice = request.tool_choice;
    if (choice && typeof choice === 'object' && !request.tools?.some((t) => t.function.name === choice.function.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tool_choice'],
        message: `The tool \`${choice.function.name}\` is not among the request's tools.`,
      });
    }
    if (choice === 'required' && !request.tools?.length) {
      ctx.addIssue({ code: 'custom', path: ['tool_choice'], message: "'required' needs at least one tool." });
    }
  });
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;

const embeddingInput = z.union([
  z.string().min(1, 'The input must not be empty.'),
  z.array(z.string().min(1, 'The input must not contain empty strings.')).min(1).max(2048),
  z.array(z.number().int().min(0)).min(1),
  z.array(z.array(z.number().int().min(0)).min(1)).min(1).max(2048),
], { error: 'The input must be a non-empty string, an array of them (at most 2048), or arrays of token ids.' });

export const embeddingRequest = z.object({
  model: z.string().min(1),
  input: embeddingInput,
  dimensions: z.number().int().min(8).max(4096).optional(),
  encoding_format: z.enum(['float', 'base64']).optional(),
  user: z.string().optional(),
});
export type EmbeddingRequest = z.infer<typeof embeddingRequest>;

/** The text of a message's content (text parts joined by newlines). */
export function contentText(value: string | { text: string }[] | null | undefined): string {
  if (value == null) return '';
  return typeof value === 'string' ? value : value.map((part) => part.text).join('\n');
}
