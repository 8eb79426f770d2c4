// Which embedding model a knowledge base uses and the dimension its vectors have.
// The built-in models have fixed dimensions; a workspace provider's model states
// its own, and every vector it returns is checked against it before it is stored.
import { InvalidInput } from '../domain-errors';
import { LOCAL_MODEL_FOR, LOCAL_SEMANTIC_EMBEDDING_MODEL } from '../llm/task-types';

/** The hashed local model (fast, lexical): tests and benchmarks use it. */
export const LOCAL_HASHED_EMBEDDING_MODEL = LOCAL_MODEL_FOR.embedding;

export const BUILT_IN_EMBEDDING_MODELS: Readonly<Record<string, { dimension: number; label: string }>> = {
  [LOCAL_SEMANTIC_EMBEDDING_MODEL]: { dimension: 512, label: 'Built-in semantic (Universal Sentence Encoder, 512-d)' },
  [LOCAL_HASHED_EMBEDDING_MODEL]: { dimension: 384, label: 'Built-in hashed (fast, lexical, 384-d)' },
};

/** New knowledge bases embed with the semantic local model unless told otherwise. */
export const DEFAULT_EMBEDDING_MODEL = LOCAL_SEMANTIC_EMBEDDING_MODEL;

export type EmbeddingChoice = { model: string; dimension: number };

/** The model and dimension a knowledge base will record. */
export function embeddingChoice(model: string | undefined, dimension: number | undefined): EmbeddingChoice {
  const name = (model ?? DEFAULT_EMBEDDING_MODEL).trim();
  const builtIn = BUILT_IN_EMBEDDING_MODELS[name];
  if (builtIn) {
    if (dimension !== undefined && dimension !== builtIn.dimension) {
      throw new InvalidInput(`The model ${name} produces ${builtIn.dimension}-dimensional embeddings.`, 'dimension');
    }
    return { model: name, dimension: builtIn.dimension };
  }
  if (!name) throw new InvalidInput('Name an embedding model.', 'embeddingModel');
  if (dimension === undefined) throw new InvalidInput(`State how many dimensions the model ${name} produces.`, 'dimension');
  if (!Number.isInteger(dimension) || dimension < 8 || dimension > 4096) {
    throw new InvalidInput('The dimension must be a whole number from 8 to 4096.', 'dimension');
  }
  return { model: name, dimension };
}

/** The `dimensions` request parameter: only the hashed local model takes one. */
export function dimensionsParameter(choice: EmbeddingChoice): number | undefined {
  return choice.model === LOCAL_HASHED_EMBEDDING_MODEL ? choice.dimension : undefined;
}

/** A pgvector literal of a checked embedding. */
export function vectorLiteral(embedding: readonly number[], dimension: number): string {
  if (embedding.length !== dimension || embedding.some((x) => !Number.isFinite(x))) {
    throw new InvalidInput(`The embedding model returned ${embedding.length} dimensions where the knowledge base expects ${dimension}.`, 'embeddingModel');
  }
  return `[${embedding.join(',')}]`;
}
