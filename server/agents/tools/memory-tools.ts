// memory_save and memory_recall: what an agent remembers about the end user a run
// serves, offered when the version turns memory on and the run names an end user.
// Both go through the run's memory handle, which is bound to that end user.
import { InvalidInput } from '../../domain-errors';
import { MEMORY_RECALL_MAX, MEMORY_TEXT_MAX_CHARS } from '../../memory/memory-items';
import { defineTool } from './tool-definition';

export const MEMORY_SAVE_TOOL = 'memory_save';
export const MEMORY_RECALL_TOOL = 'memory_recall';

const NO_END_USER = 'This run serves no end user, so there is no memory to use.';

export const memorySaveTool = defineTool<{ text: string }>({
  name: MEMORY_SAVE_TOOL,
  description: 'Saves one fact about the user you are talking to (a preference, a detail they shared) so later conversations can recall it.',
  parameters: {
    type: 'object',
    properties: { text: { type: 'string', minLength: 1, maxLength: MEMORY_TEXT_MAX_CHARS, description: 'The fact, as one short sentence.' } },
    required: ['text'],
    additionalProperties: false,
  },
  async execute(args, context) {
    if (!context.memory) throw new InvalidInput(NO_END_USER, 'text');
    const saved = await context.memory.save(args.text);
    return { saved: true, id: saved.id, text: saved.text };
  },
});

export const memoryRecallTool = defineTool<{ query: string; limit?: number }>({
  name: MEMORY_RECALL_TOOL,
  description: 'Recalls facts saved earlier about the user you are talking to, most relevant first.',
  parameters: {
    type: 'object',
    properties: {
      query: { type: 'string', minLength: 1, maxLength: MEMORY_TEXT_MAX_CHARS, description: 'What to recall, in plain words.' },
      limit: { type: 'integer', minimum: 1, maximum: MEMORY_RECALL_MAX, default: 5, description: 'How many facts to return.' },
    },
    required: ['query'],
    additionalProperties: false,
  },
  async execute(args, context) {
    if (!context.memory) throw new InvalidInput(NO_END_USER, 'query');
    const memories = await context.memory.recall(args.query, args.limit ?? 5);
    return { memories: memories.map((m) => ({ text: m.text, similarity: Math.round(m.similarity * 1000) / 1000, savedAt: m.createdAt.toISOString() })) };
  },
});
