// The knowledge_search tool: hybrid retrieval over the knowledge bases the agent
// version names (never others), returning numbered passages with their document
// and heading path, so the answer can cite them and the run step records them.
import { InvalidInput } from '../../domain-errors';
import type { SearchHit } from '../../knowledge/hybrid-search';
import { defineTool } from './tool-definition';

export const KNOWLEDGE_SEARCH_TOOL = 'knowledge_search';

type Args = { query: string; limit?: number };

/** A passage as the model and the run step see it. */
export type CitedPassage = {
  citation: number;
  document: string;
  section: string;
  text: string;
  documentId: string;
  chunkId: string;
  knowledgeBaseId: string;
};

export function citedPassages(hits: readonly SearchHit[]): CitedPassage[] {
  return hits.map((hit, i) => ({
    citation: i + 1,
    document: hit.documentName,
    section: hit.headingPath.join(' › '),
    text: hit.text,
    documentId: hit.documentId,
    chunkId: hit.chunkId,
    knowledgeBaseId: hit.knowledgeBaseId,
  }));
}

export const knowledgeSearchTool = defineTool<Args>({
  name: KNOWLEDGE_SEARCH_TOOL,
  description:
    "Searches the agent's knowledge bases and returns the most relevant passages, numbered, with their document and section. Cite passages by their number.",
  parameters: {
    type: 'object',
    properties: {
      query: { type: 'string', minLength: 1, maxLength: 2000, description: 'What to look for, in plain words.' },
      limit: { type: 'integer', minimum: 1, maximum: 10, default: 5, description: 'How many passages to return.' },
    },
    required: ['query'],
    additionalProperties: false,
  },
  async execute(args, context) {
    if (!context.knowledge) throw new InvalidInput('This agent has no knowledge bases to search.', 'query');
    const hits = await context.knowledge.search(args.query, args.limit ?? 5);
    return { passages: citedPassages(hits) };
  },
});
