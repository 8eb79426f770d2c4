// Deterministic text embeddings from hashed features: content words (stemmed,
// stopwords dropped), adjacent word pairs and character 3- and 4-grams of each
// word, each hashed (FNV-1a) to a signed slot, then L2-normalised. Texts that
// share words or word stems land close together; unrelated texts near 0 cosine.
import { contentWords } from './context-quotes';

export const DEFAULT_EMBEDDING_DIMENSIONS = 384;

const WORD_WEIGHT = 1;
const PAIR_WEIGHT = 0.5;
const GRAM_WEIGHT = 0.25;

export function embedText(text: string, dimensions = DEFAULT_EMBEDDING_DIMENSIONS): Float32Array {
  const vector = new Float64Array(dimensions);
  const add = (feature: string, weight: number) => {
    const hash = fnv1a(feature);
    vector[hash % dimensions]! += (hash & 0x80000000 ? -1 : 1) * weight;
  };

  const words = contentWords(text);
  words.forEach((word, i) => {
    add(`w:${word}`, WORD_WEIGHT);
    if (i > 0) add(`p:${words[i - 1]} ${word}`, PAIR_WEIGHT);
    for (const gram of charGrams(`<${word}>`)) add(`g:${gram}`, GRAM_WEIGHT);
  });
  // Text without content words (punctuation, a stopword) still gets a direction of its own.
  if (!words.length) {
    const raw = text.trim().toLowerCase() || text;
    add(`r:${raw}`, WORD_WEIGHT);
    for (const gram of charGrams(raw)) add(`g:${gram}`, GRAM_WEIGHT);
  }

  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  return Float32Array.from(vector, (v) => v / norm);
}

function charGrams(text: string): string[] {
  const grams: string[] = [];
  for (const n of [3, 4]) for (let i = 0; i + n <= text.length; i++) grams.push(text.slice(i, i + n));
  return grams;
}

/** 32-bit FNV-1a over the UTF-16 code units of `text`. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Little-endian float32 bytes, base64-encoded, as OpenAI's encoding_format=base64. */
export function toBase64(vector: Float32Array): string {
  const bytes = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((v, i) => bytes.setFloat32(i * 4, v, true));
  return Buffer.from(bytes.buffer).toString('base64');
}
