// DOCX to blocks: the archive is checked first (entry count, uncompressed size
// capped against what it really inflates to, the Word parts present), then mammoth
// turns the document's styles into HTML (Heading 1 → h1, lists, tables) that
// parse-html reads. Images are dropped unread.
import mammoth from 'mammoth';
import { InvalidInput, LimitExceeded } from '../domain-errors';
import type { DocumentBlock } from './document-blocks';
import { CONTENT_LIMITS } from './document-formats';
import { parseHtml } from './parse-html';
import { ZipLimitExceeded, readZipEntries } from './zip-archive';

const MB = 1024 * 1024;

export async function parseDocx(bytes: Uint8Array): Promise<DocumentBlock[]> {
  let entries: Map<string, Buffer>;
  try {
    entries = readZipEntries(bytes, { maxEntries: CONTENT_LIMITS.maxDocxEntries, maxUncompressedBytes: CONTENT_LIMITS.maxDocxUncompressedBytes });
  } catch (error) {
    if (error instanceof ZipLimitExceeded) {
      throw new LimitExceeded(`This DOCX expands to more than ${CONTENT_LIMITS.maxDocxUncompressedBytes / MB} MB or ${CONTENT_LIMITS.maxDocxEntries} parts and cannot be read.`);
    }
    throw unreadable();
  }
  if (!entries.has('[Content_Types].xml') || !entries.has('word/document.xml')) {
    throw new InvalidInput('This file is not a Word document (DOCX).', 'file');
  }
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
    );
    html = result.value;
  } catch {
    throw unreadable();
  }
  return parseHtml(html);
}

function unreadable() {
  return new InvalidInput('This DOCX could not be read; it may be damaged.', 'file');
}
