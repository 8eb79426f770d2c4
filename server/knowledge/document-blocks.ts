// The normalised structure every parsed document comes out as, whatever its format:
// blocks in reading order, and the one rule that joins them into the document's text
// (blank line between blocks), against which chunk offsets and citations are counted.

export type HeadingLevel = 1 | 2 | 3 | 4 | 5 | 6;

export type DocumentBlock =
  | { kind: 'heading'; level: HeadingLevel; text: string }
  | { kind: 'paragraph'; text: string }
  /** One item per line, "- item", nested items indented by two spaces per level. */
  | { kind: 'list'; text: string }
  /** Preformatted text, line breaks and indentation kept. */
  | { kind: 'code'; text: string }
  /** One row per line, cells joined by " | ". */
  | { kind: 'table'; text: string };

export const BLOCK_SEPARATOR = '\n\n';

/** The document's normalised text: block texts joined by a blank line. */
export function documentText(blocks: readonly DocumentBlock[]): string {
  return blocks.map((block) => block.text).join(BLOCK_SEPARATOR);
}

/** Where each block's text starts and ends in documentText(blocks). */
export function blockOffsets(blocks: readonly DocumentBlock[]): { start: number; end: number }[] {
  let position = 0;
  return blocks.map((block) => {
    const start = position;
    position += block.text.length + BLOCK_SEPARATOR.length;
    return { start, end: start + block.text.length };
  });
}
