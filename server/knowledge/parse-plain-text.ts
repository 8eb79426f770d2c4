// Plain text to blocks: paragraphs are separated by blank lines; a paragraph whose
// every line starts with a bullet or a number is a list. Line breaks inside a paragraph are kept.
import type { DocumentBlock } from './document-blocks';
import { cleanLines, cleanText } from './normalise-text';

const LIST_LINE = /^(?:[-*•]|\d{1,3}[.)])\s+/;

export function parsePlainText(text: string): DocumentBlock[] {
  return cleanText(text)
    .split(/\n[ \t]*\n/)
    .map(cleanLines)
    .filter(Boolean)
    .map((paragraph): DocumentBlock => {
      const lines = paragraph.split('\n');
      if (lines.length > 1 && lines.every((line) => LIST_LINE.test(line))) {
        return { kind: 'list', text: lines.map((line) => `- ${line.replace(LIST_LINE, '')}`).join('\n') };
      }
      return { kind: 'paragraph', text: paragraph };
    });
}
