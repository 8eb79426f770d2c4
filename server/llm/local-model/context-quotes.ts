// Picks the lines of the conversation's instructions and context that best
// answer a question: lines are ranked by the question words they share
// (weighted by rarity across lines), ties keep their original order.
import type { ChatMessage } from './request-schemas';
import { contentText } from './request-schemas';

export type QuotedLine = { label: string; text: string; order: number };

const LABELS: Record<ChatMessage['role'], string> = {
  system: 'From the instructions:',
  developer: 'From the instructions:',
  user: 'From the conversation:',
  assistant: 'From the conversation:',
  tool: 'From earlier tool results:',
};

const STOPWORDS = new Set(
  `a an and are as at be but by can could do does did for from had has have how i if in into is it its me my no not
  of on or our please so than that the their them then there these they this to was we were what when where which
  who why will with would you your yours about tell use call give show`.split(/\s+/),
);

/** Lowercased content words, lightly stemmed, so "refunds" meets "refund". */
export function contentWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && !STOPWORDS.has(w))
    .map(stem);
}

function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** Every non-empty line of the given messages; long lines are cut at sentence ends. */
export function contextLines(messages: ChatMessage[]): QuotedLine[] {
  const lines: QuotedLine[] = [];
  for (const message of messages) {
    for (const raw of contentText(message.content).split(/\r?\n/)) {
      const pieces = raw.length > 300 ? raw.split(/(?<=[.!?])\s+/) : [raw];
      for (const piece of pieces) {
        const text = piece.trim();
        if (text) lines.push({ label: LABELS[message.role], text, order: lines.length });
      }
    }
  }
  return lines;
}

/** Up to `limit` lines sharing words with `question`, best first; none if nothing overlaps. */
export function mostRelevantLines(lines: QuotedLine[], question: string, limit: number): QuotedLine[] {
  const asked = new Set(contentWords(question));
  if (!asked.size || !limit) return [];
  const wordsPerLine = lines.map((line) => new Set(contentWords(line.text)));
  const documentFrequency = new Map<string, number>();
  for (const words of wordsPerLine) {
    for (const word of words) if (asked.has(word)) documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
  }
  const scored = lines.map((line, i) => {
    let score = 0;
    for (const word of wordsPerLine[i]!) {
      const df = documentFrequency.get(word);
      if (df) score += Math.log(1 + lines.length / df);
    }
    return { line, score };
  });
  return scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.line.order - b.line.order)
    .slice(0, limit)
    .map((s) => s.line);
}

/** "From the instructions: line line\nFrom the conversation: line", in source order. */
export function quoteLines(lines: QuotedLine[]): string {
  const groups: { label: string; texts: string[] }[] = [];
  for (const line of [...lines].sort((a, b) => a.order - b.order)) {
    const last = groups.at(-1);
    if (last?.label === line.label) last.texts.push(line.text);
    else groups.push({ label: line.label, texts: [line.text] });
  }
  return groups.map((g) => `${g.label} ${g.texts.join(' ')}`).join('\n');
}
