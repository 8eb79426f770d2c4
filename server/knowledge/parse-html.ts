// HTML to blocks with htmlparser2: h1–h6 become headings, pre becomes code, ul/ol
// become lists (nesting kept), tables become rows of cells, other block elements
// paragraphs. Scripts, styles, templates, SVG and the head are dropped unread, and
// entities are decoded. Malformed markup is read as browsers would, never refused.
import { Parser } from 'htmlparser2';
import type { DocumentBlock, HeadingLevel } from './document-blocks';
import { cleanInline, cleanPreformatted } from './normalise-text';

const DROPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'head', 'iframe', 'object', 'canvas', 'select', 'button']);
const HEADINGS: Record<string, HeadingLevel> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };
const PARAGRAPH_BREAKS = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'nav', 'blockquote', 'figure',
  'figcaption', 'address', 'hr', 'form', 'fieldset', 'details', 'summary', 'dl', 'dt', 'dd', 'body', 'center',
]);
const CELLS = new Set(['td', 'th']);

export function parseHtml(html: string): DocumentBlock[] {
  const blocks: DocumentBlock[] = [];
  let dropDepth = 0;
  let text = '';
  let heading: HeadingLevel | undefined;
  let preDepth = 0;
  // Lists: one entry per open ul/ol; items collected until the outermost list closes.
  let listDepth = 0;
  let listItems: string[] = [];
  // Tables: rows of cells until the outermost table closes.
  let tableDepth = 0;
  let rows: string[][] = [];
  let cell: string | undefined;

  const flushText = () => {
    const current = text;
    text = '';
    if (preDepth > 0) {
      const code = cleanPreformatted(current);
      if (code) blocks.push({ kind: 'code', text: code });
      return;
    }
    const inline = cleanInline(current);
    if (!inline) return;
    if (listDepth > 0) listItems.push(`${'  '.repeat(listDepth - 1)}- ${inline}`);
    else if (heading) blocks.push({ kind: 'heading', level: heading, text: inline });
    else blocks.push({ kind: 'paragraph', text: inline });
  };

  const parser = new Parser(
    {
      onopentag(name) {
        if (dropDepth > 0 || DROPPED.has(name)) {
          dropDepth++;
          return;
        }
        if (tableDepth > 0 && name !== 'table') {
          if (name === 'tr') rows.push([]);
          else if (CELLS.has(name)) cell = '';
          else if (name === 'br' && cell !== undefined) cell += ' ';
          return;
        }
        if (name === 'br') {
          text += preDepth > 0 ? '\n' : ' ';
          return;
        }
        if (name in HEADINGS || name === 'pre' || name === 'li' || name === 'ul' || name === 'ol' || name === 'table' || PARAGRAPH_BREAKS.has(name)) {
          flushText();
        }
        if (name in HEADINGS) heading = HEADINGS[name];
        else if (name === 'pre') preDepth++;
        else if (name === 'ul' || name === 'ol') listDepth++;
        else if (name === 'table') tableDepth++;
      },
      ontext(data) {
        if (dropDepth > 0) return;
        if (tableDepth > 0) {
          if (cell !== undefined) cell += data;
          return;
        }
        text += data;
      },
      onclosetag(name) {
        if (dropDepth > 0) {
          dropDepth--;
          return;
        }
        if (tableDepth > 0) {
          if (CELLS.has(name) && cell !== undefined) {
            if (!rows.length) rows.push([]);
            rows.at(-1)!.push(cleanInline(cell));
            cell = undefined;
          } else if (name === 'table' && --tableDepth === 0) {
            const lines = rows.map((row) => row.join(' | ')).filter((line) => line.replace(/[\s|]/g, ''));
            if (lines.length) blocks.push({ kind: 'table', text: lines.join('\n') });
            rows = [];
          }
          return;
        }
        if (name in HEADINGS || name === 'pre' || name === 'li' || PARAGRAPH_BREAKS.has(name)) flushText();
        if (name in HEADINGS) heading = undefined;
        else if (name === 'pre') preDepth = Math.max(0, preDepth - 1);
        else if ((name === 'ul' || name === 'ol') && listDepth > 0) {
          flushText();
          if (--listDepth === 0 && listItems.length) {
            blocks.push({ kind: 'list', text: listItems.join('\n') });
            listItems = [];
          }
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  flushText();
  if (listItems.length) blocks.push({ kind: 'list', text: listItems.join('\n') });
  return blocks;
}
