// Turns an uploaded file into normalised blocks (headings, paragraphs, lists, code,
// tables as text, in reading order) whatever its format. The format is the declared
// one confirmed by the file's bytes; sizes and contents are capped (document-formats.ts).
// Every failure is an InvalidInput or LimitExceeded with a message for the user.
import { InvalidInput, LimitExceeded } from '../domain-errors';
import type { DocumentBlock } from './document-blocks';
import { documentText } from './document-blocks';
import { CONTENT_LIMITS, DOCUMENT_FORMATS, detectFormat } from './document-formats';
import type { DocumentFormat } from './document-formats';
import { decodeTextFile } from './decode-text-file';
import { parseDocx } from './parse-docx';
import { parseHtml } from './parse-html';
import { parseMarkdown } from './parse-markdown';
import { parsePdf } from './parse-pdf';
import { parsePlainText } from './parse-plain-text';

export type DocumentUpload = {
  bytes: Uint8Array;
  /** As declared by the uploader (may carry parameters: "text/html; charset=utf-8"). */
  contentType?: string;
  fileName?: string;
};

export type ParsedDocument = {
  format: DocumentFormat;
  blocks: DocumentBlock[];
  /** documentText(blocks): what chunk offsets count in. */
  text: string;
};

export async function parseDocument(upload: DocumentUpload): Promise<ParsedDocument> {
  const format = detectFormat(upload.bytes, upload.contentType, upload.fileName);
  let blocks: DocumentBlock[];
  try {
    blocks = await parseBlocks(format, upload.bytes);
  } catch (error) {
    if (error instanceof InvalidInput || error instanceof LimitExceeded) throw error;
    // A parser bug or a hostile file must not surface as a 500 with internal text.
    throw new InvalidInput('This file could not be read; it may be damaged.', 'file');
  }
  return documentFromBlocks(format, blocks);
}

/** Pasted text is read as Markdown (plain text reads the same way), under the same limits. */
export function parsePastedText(text: string): ParsedDocument {
  const { maxBytes } = DOCUMENT_FORMATS.markdown;
  if (Buffer.byteLength(text) > maxBytes) throw new LimitExceeded(`Pasted text can be at most ${maxBytes / (1024 * 1024)} MB.`);
  return documentFromBlocks('markdown', parseMarkdown(text));
}

function parseBlocks(format: DocumentFormat, bytes: Uint8Array): Promise<DocumentBlock[]> | DocumentBlock[] {
  switch (format) {
    case 'pdf':
      return parsePdf(bytes);
    case 'docx':
      return parseDocx(bytes);
    case 'html':
      return parseHtml(decodeTextFile(bytes));
    case 'markdown':
      return parseMarkdown(decodeTextFile(bytes));
    case 'text':
      return parsePlainText(decodeTextFile(bytes));
  }
}

function documentFromBlocks(format: DocumentFormat, parsed: DocumentBlock[]): ParsedDocument {
  const blocks = parsed.filter((block) => block.text.trim().length > 0);
  const text = documentText(blocks);
  if (text.length > CONTENT_LIMITS.maxTextChars) {
    throw new LimitExceeded(`A document can hold at most ${CONTENT_LIMITS.maxTextChars.toLocaleString('en-US')} characters of text.`);
  }
  if (!blocks.length) {
    const hint = format === 'pdf' ? ' A scanned PDF holds only images; it needs text recognition first.' : '';
    throw new InvalidInput(`No text was found in this document.${hint}`, 'file');
  }
  return { format, blocks, text };
}
