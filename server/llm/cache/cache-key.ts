// What makes two model requests "the same" for the response cache: the user's
// question normalised (Unicode NFKC, case, whitespace), everything else the model
// would see hashed exactly, and a fingerprint of the retrieved knowledge context.
import { createHash } from 'node:crypto';

/** The scope every entry is keyed on by construction; no lookup can leave it. */
export type CacheScope = {
  workspaceId: string;
  agentId: string;
  agentVersion: number;
  model: string;
  /** Hash of the knowledge passages (and bases) that went into the context; see contextFingerprint(). */
  contextFingerprint: string;
  /** The end user of a memory-enabled version; null for every other version. */
  endUserId: string | null;
};

/** The request inside that scope: the exact key is (promptHash, questionHash). */
export type CacheRequest = {
  /** Hash of the conversation besides the question: system prompt, retrieved passages, tools, temperature. */
  promptHash: string;
  questionHash: string;
  /** The question as asked (embedded for the semantic match, never stored). */
  question: string;
};

function sha256(value: unknown): string {
  return createHash('sha256').update(typeof value === 'string' ? value : JSON.stringify(value)).digest('hex');
}

/** Case, Unicode form and runs of whitespace do not change the question. */
export function normaliseQuestion(question: string): string {
  return question.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function questionHash(question: string): string {
  return sha256(normaliseQuestion(question));
}

export function promptHash(parts: { messages: unknown[]; tools: unknown[]; temperature: number; outputSchema: unknown }): string {
  return sha256(parts);
}

/**
 * The knowledge that shaped the answer: the bases the version reads (sorted) and
 * what retrieval put into the context. No knowledge: a constant, so entries of
 * versions without knowledge bases still match each other.
 */
export function contextFingerprint(knowledgeBaseIds: readonly string[], retrieved: readonly unknown[]): string {
  if (!knowledgeBaseIds.length && !retrieved.length) return 'none';
  return sha256({ bases: [...knowledgeBaseIds].sort(), retrieved });
}
