// PDF to blocks with pdf.js (through unpdf, no native code): the text of each page
// in reading order, lines grouped into paragraphs by spacing, and lines set in a
// larger font than the body taken as headings (bigger font, higher level).
// Encrypted PDFs, PDFs over the page limit and unreadable files are refused with a reason.
import { getDocumentProxy } from 'unpdf';
import { InvalidInput, LimitExceeded } from '../domain-errors';
import type { DocumentBlock, HeadingLevel } from './document-blocks';
import { CONTENT_LIMITS } from './document-formats';
import { cleanInline } from './normalise-text';

type Line = { text: string; y: number; size: number; page: number };

// An encryption dictionary is named in the trailer or the cross-reference stream's
// dictionary, neither ever compressed, at the end of the file (or, linearised, near its start).
const ENCRYPT_ENTRY = /\/Encrypt[\s/<\d]/;
const TRAILER_WINDOW = 8 * 1024;

function namesEncryption(bytes: Uint8Array): boolean {
  const latin1 = (part: Uint8Array) => Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('latin1');
  return ENCRYPT_ENTRY.test(latin1(bytes.subarray(0, TRAILER_WINDOW))) || ENCRYPT_ENTRY.test(latin1(bytes.subarray(-TRAILER_WINDOW)));
}

export async function parsePdf(bytes: Uint8Array): Promise<DocumentBlock[]> {
  if (namesEncryption(bytes)) {
    throw new InvalidInput('This PDF is encrypted. Remove its password and upload it again.', 'file');
  }
  const pdf = await openPdf(bytes);
  try {
    if (pdf.numPages > CONTENT_LIMITS.maxPdfPages) {
      throw new LimitExceeded(`PDFs can have at most ${CONTENT_LIMITS.maxPdfPages} pages; this one has ${pdf.numPages}.`);
    }
    const lines: Line[] = [];
    for (let number = 1; number <= pdf.numPages; number++) lines.push(...(await pageLines(pdf, number)));
    return linesToBlocks(lines);
  } catch (error) {
    if (error instanceof InvalidInput || error instanceof LimitExceeded) throw error;
    throw unreadable();
  } finally {
    await pdf.destroy();
  }
}

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

async function openPdf(bytes: Uint8Array): Promise<PdfDocument> {
  try {
    // pdf.js takes ownership of the buffer it is given: hand it a copy.
    return await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false, useSystemFonts: false, disableFontFace: true, verbosity: 0 });
  } catch (error) {
    if ((error as { name?: string } | null)?.name === 'PasswordException') {
      throw new InvalidInput('This PDF is encrypted. Remove its password and upload it again.', 'file');
    }
    throw unreadable();
  }
}

function unreadable() {
  return new InvalidInput('This PDF could not be read; it may be damaged.', 'file');
}

async function pageLines(pdf: PdfDocument, number: number): Promise<Line[]> {
  const page = await pdf.getPage(number);
  const content = await page.getTextContent();
  const lines: Line[] = [];
  let current: Line | undefined;
  for (const item of content.items) {
    if (!('str' in item)) continue;
    const y = Number(item.transform[5]);
    const size = Math.round(Math.hypot(Number(item.transform[2]), Number(item.transform[3])) * 2) / 2 || item.height;
    if (current && Math.abs(current.y - y) > Math.max(current.size, size) * 0.5) {
      lines.push(current);
      current = undefined;
    }
    if (item.str) {
      if (!current) current = { text: item.str, y, size, page: number };
      else {
        current.text += item.str;
        current.size = Math.max(current.size, size);
      }
    }
    if (item.hasEOL && current) {
      lines.push(current);
      current = undefined;
    }
  }
  if (current) lines.push(current);
  page.cleanup();
  return lines.map((line) => ({ ...line, text: cleanInline(line.text) })).filter((line) => line.text);
}

function linesToBlocks(lines: Line[]): DocumentBlock[] {
  const bodySize = mostCommonSize(lines);
  const headingSizes = [...new Set(lines.filter((l) => isHeading(l, bodySize)).map((l) => l.size))].sort((a, b) => b - a);
  const blocks: DocumentBlock[] = [];
  let previous: Line | undefined;
  for (const line of lines) {
    const heading = isHeading(line, bodySize);
    const last = blocks.at(-1);
    const continues =
      previous !== undefined &&
      last !== undefined &&
      previous.page === line.page &&
      previous.size === line.size &&
      previous.y - line.y > 0 &&
      previous.y - line.y <= line.size * 1.6 &&
      (heading ? last.kind === 'heading' : last.kind === 'paragraph');
    if (continues) last.text = joinLines(last.text, line.text);
    else if (heading) {
      const level = Math.min(6, headingSizes.indexOf(line.size) + 1) as HeadingLevel;
      blocks.push({ kind: 'heading', level, text: line.text });
    } else blocks.push({ kind: 'paragraph', text: line.text });
    previous = line;
  }
  return blocks;
}

function isHeading(line: Line, bodySize: number): boolean {
  return line.size >= bodySize * 1.2 && line.text.length <= 150;
}

/** The font size that sets the most characters: the body text's. */
function mostCommonSize(lines: Line[]): number {
  const chars = new Map<number, number>();
  for (const line of lines) chars.set(line.size, (chars.get(line.size) ?? 0) + line.text.length);
  let best = 0;
  let bestChars = -1;
  for (const [size, count] of chars) if (count > bestChars || (count === bestChars && size < best)) [best, bestChars] = [size, count];
  return best;
}

/** Lines of one paragraph joined by a space; a word hyphenated across the break is rejoined. */
function joinLines(before: string, after: string): string {
  if (/\p{L}-$/u.test(before) && /^\p{Ll}/u.test(after)) return before.slice(0, -1) + after;
  return `${before} ${after}`;
}
