// Splits a parsed document into chunks for embedding and citation. Chunks follow
// the structure: a heading starts a new chunk, paragraphs are kept whole when they
// fit, oversized ones are split at sentences (then at words), never inside a word.
// Each chunk fits the token budget: its new text fills up to maxTokens − overlapTokens,
// and every chunk after the first of its section starts with up to overlapTokens of
// the previous one. A chunk is an exact slice of documentText(blocks) — its offsets
// and heading path are what a citation points at. Same input, same chunks; time
// grows linearly with the text (token counts are summed, checked exactly per chunk).
import { countTokens } from 'gpt-tokenizer';
import { InvalidInput } from '../domain-errors';
import type { DocumentBlock } from './document-blocks';
import { blockOffsets, documentText } from './document-blocks';

export type ChunkOptions = {
  /** Most tokens in one chunk (gpt-tokenizer's count). */
  maxTokens: number;
  /** Tokens of the previous chunk repeated at the start of the next, at most half of maxTokens. */
  overlapTokens: number;
};

export type DocumentChunk = {
  index: number;
  text: string;
  /** Offsets in documentText(blocks): text === documentText(blocks).slice(start, end). */
  start: number;
  end: number;
  /** The headings the chunk sits under, outermost first, e.g. ["Guide", "Install", "Linux"]. */
  headingPath: string[];
  tokenCount: number;
};

export const CHUNK_LIMITS = { minTokens: 16, maxTokens: 8192 } as const;

type Span = { start: number; end: number };

/** Past this many characters per token of budget a span is split without being counted first. */
const MAX_CHARS_PER_TOKEN = 8;
type Section = { headingPath: string[]; heading?: Span; headingLevel: number; units: Span[] };

export function chunkDocument(blocks: readonly DocumentBlock[], options: ChunkOptions): DocumentChunk[] {
  checkOptions(options);
  const text = documentText(blocks);
  const tokens = (span: Span) => countTokens(text.slice(span.start, span.end));
  const budget = options.maxTokens - options.overlapTokens;
  const spans: (Span & { headingPath: string[] })[] = [];
  for (const section of sectionsOf(blocks)) {
    const heading = section.heading ? fitUnit(text, section.heading, budget, tokens) : [];
    const units = section.units.flatMap((unit) => fitUnit(text, unit, budget, tokens));
    let groups = packPieces([...heading, ...units], budget, tokens);
    // A heading that cannot share a chunk with what follows it is not a chunk of its own: the path carries it.
    if (section.heading && units.length && groups[0]!.end <= section.heading.end) groups = groups.slice(1);
    groups.forEach((group, i) => {
      const start = i === 0 ? group.start : (overlapStartFor(text, groups[i - 1]!, group, options, tokens) ?? group.start);
      spans.push({ start, end: group.end, headingPath: section.headingPath });
    });
  }
  return spans.map((span, index) => {
    const chunkText = text.slice(span.start, span.end);
    return { index, text: chunkText, start: span.start, end: span.end, headingPath: [...span.headingPath], tokenCount: countTokens(chunkText) };
  });
}

function checkOptions({ maxTokens, overlapTokens }: ChunkOptions) {
  if (!Number.isInteger(maxTokens) || maxTokens < CHUNK_LIMITS.minTokens || maxTokens > CHUNK_LIMITS.maxTokens) {
    throw new InvalidInput(`Chunks must hold between ${CHUNK_LIMITS.minTokens} and ${CHUNK_LIMITS.maxTokens} tokens.`, 'maxTokens');
  }
  if (!Number.isInteger(overlapTokens) || overlapTokens < 0 || overlapTokens > maxTokens / 2) {
    throw new InvalidInput('The overlap must be between 0 and half of the chunk size.', 'overlapTokens');
  }
}

/** Blocks grouped under their headings; a heading with nothing under it before a deeper one is carried into it. */
function sectionsOf(blocks: readonly DocumentBlock[]): Section[] {
  const offsets = blockOffsets(blocks);
  const sections: Section[] = [];
  let current: Section = { headingPath: [], headingLevel: 0, units: [] };
  const stack: { level: number; text: string }[] = [];
  blocks.forEach((block, i) => {
    const span = offsets[i]!;
    if (block.kind !== 'heading') {
      current.units.push(span);
      return;
    }
    while (stack.length && stack.at(-1)!.level >= block.level) stack.pop();
    stack.push({ level: block.level, text: block.text });
    const emptyParent = current.heading !== undefined && !current.units.length && block.level > current.headingLevel;
    if (current.units.length || (current.heading && !emptyParent)) sections.push(current);
    // An empty parent's heading stays at the front of its first child's text.
    const heading = emptyParent ? { start: current.heading!.start, end: span.end } : span;
    current = { headingPath: stack.map((h) => h.text), heading, headingLevel: block.level, units: [] };
  });
  if (current.units.length || current.heading) sections.push(current);
  return sections;
}

/** The unit if it fits the budget, else its sentences, else its words (each within the budget). */
function fitUnit(text: string, unit: Span, maxTokens: number, tokens: (span: Span) => number): Span[] {
  // Counting a very long span costs more than splitting it (tokenising one huge word is quadratic), so only short ones are counted.
  if (unit.end - unit.start <= maxTokens * MAX_CHARS_PER_TOKEN && tokens(unit) <= maxTokens) return [unit];
  const sentences = sentenceSpans(text, unit);
  const pieces = sentences.length > 1 ? sentences : wordSpans(text, unit);
  if (pieces.length <= 1) return splitLongWord(text, unit, maxTokens, tokens);
  // The section's packing joins these back up, next to the heading and neighbouring paragraphs.
  return pieces.flatMap((piece) => fitUnit(text, piece, maxTokens, tokens));
}

/**
 * Consecutive pieces (each within the budget) joined greedily while they fit. The
 * running count adds each piece with the gap before it; a group whose exact count
 * still exceeds the budget (tokens merging across a gap, rare) is re-packed exactly.
 */
function packPieces(pieces: Span[], budget: number, tokens: (span: Span) => number): Span[] {
  const groups: Span[] = [];
  let members: Span[] = [];
  let estimate = 0;
  const close = () => {
    if (members.length) groups.push(...packExactly(members, budget, tokens));
    members = [];
  };
  for (const piece of pieces) {
    const last = members.at(-1);
    const added = tokens({ start: last ? last.end : piece.start, end: piece.end });
    if (last && estimate + added > budget) {
      close();
      members = [piece];
      estimate = tokens(piece);
    } else {
      members.push(piece);
      estimate += added;
    }
  }
  close();
  return groups;
}

function packExactly(members: Span[], budget: number, tokens: (span: Span) => number): Span[] {
  const whole = { start: members[0]!.start, end: members.at(-1)!.end };
  if (tokens(whole) <= budget) return [whole];
  const groups: Span[] = [];
  let current: Span | undefined;
  for (const piece of members) {
    if (current && tokens({ start: current.start, end: piece.end }) <= budget) current.end = piece.end;
    else {
      if (current) groups.push(current);
      current = { ...piece };
    }
  }
  if (current) groups.push(current);
  return groups;
}

// A sentence ends at terminal punctuation (with any closing quotes or brackets)
// followed by whitespace, or at a line break. Intl.Segmenter would know more
// abbreviations but slows down quadratically on long texts.
const SENTENCE_END = /[.!?…。！？]+["'”’)\]]*(?=\s)|\n/g;

function sentenceSpans(text: string, unit: Span): Span[] {
  const spans: Span[] = [];
  const slice = text.slice(unit.start, unit.end);
  let from = 0;
  const push = (end: number) => {
    const trimmed = trimSpan(text, { start: unit.start + from, end: unit.start + end });
    if (trimmed) spans.push(trimmed);
    from = end;
  };
  for (const match of slice.matchAll(SENTENCE_END)) push(match.index + match[0].length);
  push(slice.length);
  return spans;
}

function wordSpans(text: string, unit: Span): Span[] {
  const spans: Span[] = [];
  for (const match of text.slice(unit.start, unit.end).matchAll(/\S+/g)) {
    spans.push({ start: unit.start + match.index, end: unit.start + match.index + match[0].length });
  }
  return spans;
}

/** A single "word" longer than the budget (a hash, a data blob) is cut by length; nothing else is. */
function splitLongWord(text: string, unit: Span, maxTokens: number, tokens: (span: Span) => number): Span[] {
  const spans: Span[] = [];
  let start = unit.start;
  while (start < unit.end) {
    let end = Math.min(unit.end, start + maxTokens);
    while (end > start + 1 && tokens({ start, end }) > maxTokens) end = start + Math.floor((end - start) * 0.8);
    // Never cut a surrogate pair.
    if (end < unit.end && end - 1 > start && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end--;
    spans.push({ start, end });
    start = end;
  }
  return spans;
}

function trimSpan(text: string, span: Span): Span | undefined {
  let { start, end } = span;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return start < end ? { start, end } : undefined;
}

/** The earliest word start in `previous` whose tail fits the overlap and, with `next`, the chunk budget. */
function overlapStartFor(text: string, previous: Span, next: Span, options: ChunkOptions, tokens: (span: Span) => number): number | undefined {
  if (options.overlapTokens === 0) return undefined;
  const starts = wordSpans(text, previous).map((w) => w.start).filter((s) => s > previous.start);
  // Binary search over word starts: later starts give shorter tails.
  let low = 0;
  let high = starts.length - 1;
  let found: number | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const start = starts[middle]!;
    if (tokens({ start, end: previous.end }) <= options.overlapTokens && tokens({ start, end: next.end }) <= options.maxTokens) {
      found = start;
      high = middle - 1;
    } else low = middle + 1;
  }
  return found;
}
