// Markdown to blocks with marked's lexer (CommonMark + GFM tables): headings keep
// their level, inline markup becomes plain text (links keep their text, images
// their alt text), lists keep nesting, tables become rows of cells, raw HTML is
// read as HTML, front-matter-free documents only.
import { Lexer } from 'marked';
import type { Token, Tokens } from 'marked';
import type { DocumentBlock, HeadingLevel } from './document-blocks';
import { parseHtml } from './parse-html';
import { cleanInline, cleanPreformatted } from './normalise-text';

export function parseMarkdown(markdown: string): DocumentBlock[] {
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  const blocks: DocumentBlock[] = [];
  for (const token of tokens) blocks.push(...blocksOf(token));
  return blocks.filter((block) => block.text.length > 0);
}

function blocksOf(token: Token): DocumentBlock[] {
  switch (token.type) {
    case 'heading': {
      const heading = token as Tokens.Heading;
      return [{ kind: 'heading', level: Math.min(6, Math.max(1, heading.depth)) as HeadingLevel, text: cleanInline(inlineText(heading.tokens)) }];
    }
    case 'paragraph':
    case 'text': {
      const paragraph = token as Tokens.Paragraph | Tokens.Text;
      return [{ kind: 'paragraph', text: cleanInline(paragraph.tokens ? inlineText(paragraph.tokens) : paragraph.text) }];
    }
    case 'code':
      return [{ kind: 'code', text: cleanPreformatted((token as Tokens.Code).text) }];
    case 'list':
      return [{ kind: 'list', text: listLines(token as Tokens.List, 0).join('\n') }];
    case 'table': {
      const table = token as Tokens.Table;
      const rows = [table.header, ...table.rows].map((cells) => cells.map((cell) => cleanInline(inlineText(cell.tokens))).join(' | '));
      return [{ kind: 'table', text: rows.join('\n') }];
    }
    case 'blockquote':
      return (token as Tokens.Blockquote).tokens.flatMap(blocksOf);
    case 'html':
      return parseHtml((token as Tokens.HTML).text);
    default:
      // space, hr, def (link reference definitions) and anything unknown carry no text.
      return [];
  }
}

function listLines(list: Tokens.List, depth: number): string[] {
  const indent = '  '.repeat(depth);
  return list.items.flatMap((item) => {
    const own: string[] = [];
    const nested: string[] = [];
    for (const child of item.tokens) {
      if (child.type === 'list') nested.push(...listLines(child as Tokens.List, depth + 1));
      else if (child.type !== 'space') own.push(blocksOf(child).map((b) => cleanInline(b.text)).join(' '));
    }
    const text = cleanInline(own.join(' '));
    const check = item.task ? (item.checked ? '[x] ' : '[ ] ') : '';
    return [...(text || check ? [`${indent}- ${check}${text}`.trimEnd()] : []), ...nested];
  });
}

function inlineText(tokens: readonly Token[]): string {
  return tokens
    .map((token) => {
      switch (token.type) {
        case 'br':
          return '\n';
        case 'image':
          return (token as Tokens.Image).text;
        case 'html':
          return '';
        case 'codespan':
          return (token as Tokens.Codespan).text;
        case 'escape':
          return (token as Tokens.Escape).text;
        default: {
          const withChildren = token as { tokens?: Token[]; text?: string };
          return withChildren.tokens ? inlineText(withChildren.tokens) : (withChildren.text ?? '');
        }
      }
    })
    .join('');
}
