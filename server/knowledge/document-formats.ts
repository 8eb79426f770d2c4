// The upload formats Enclave reads, their limits in one table, and how a file's
// format is decided: the declared content type (or, for a generic one, the file
// name), confirmed by the file's first bytes. A mismatch is refused, never guessed.
import { InvalidInput, LimitExceeded } from '../domain-errors';

export type DocumentFormat = 'text' | 'markdown' | 'html' | 'pdf' | 'docx';

export type FormatLimits = {
  /** Shown in messages ("PDF files can be at most 10 MB"). */
  label: string;
  maxBytes: number;
  contentTypes: readonly string[];
  extensions: readonly string[];
};

const MB = 1024 * 1024;

export const DOCUMENT_FORMATS: Readonly<Record<DocumentFormat, FormatLimits>> = {
  text: { label: 'Text', maxBytes: 5 * MB, contentTypes: ['text/plain'], extensions: ['.txt', '.text'] },
  markdown: {
    label: 'Markdown',
    maxBytes: 5 * MB,
    contentTypes: ['text/markdown', 'text/x-markdown'],
    extensions: ['.md', '.markdown'],
  },
  html: { label: 'HTML', maxBytes: 5 * MB, contentTypes: ['text/html', 'application/xhtml+xml'], extensions: ['.html', '.htm'] },
  pdf: { label: 'PDF', maxBytes: 10 * MB, contentTypes: ['application/pdf'], extensions: ['.pdf'] },
  docx: {
    label: 'DOCX',
    maxBytes: 10 * MB,
    contentTypes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    extensions: ['.docx'],
  },
};

/** Limits on what a file holds, beyond its size. */
export const CONTENT_LIMITS = {
  /** Characters of normalised text in one document. */
  maxTextChars: 2_000_000,
  maxPdfPages: 500,
  /** Total uncompressed size of a DOCX's parts: a zip bomb stops here. */
  maxDocxUncompressedBytes: 50 * MB,
  maxDocxEntries: 2_000,
} as const;

/** The largest file of any format, for a request-body limit in front of parsing. */
export const MAX_UPLOAD_BYTES = Math.max(...Object.values(DOCUMENT_FORMATS).map((f) => f.maxBytes));

const GENERIC_CONTENT_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/unknown']);

const SUPPORTED = 'Upload plain text, Markdown, HTML, PDF or DOCX.';

/** The format the upload declares, checked against its bytes and its format's size limit. */
export function detectFormat(bytes: Uint8Array, contentType: string | undefined, fileName: string | undefined): DocumentFormat {
  const format = declaredFormat(contentType, fileName);
  const limits = DOCUMENT_FORMATS[format];
  if (bytes.length === 0) throw new InvalidInput('The file is empty.', 'file');
  if (bytes.length > limits.maxBytes) {
    throw new LimitExceeded(`${limits.label} files can be at most ${limits.maxBytes / MB} MB.`);
  }
  const sniffed = sniffBinary(bytes);
  const expected = format === 'pdf' || format === 'docx' ? format : 'text';
  if (sniffed !== expected) {
    throw new InvalidInput(`The file's content does not match its type: it was declared as ${limits.label}.`, 'file');
  }
  return format;
}

function declaredFormat(contentType: string | undefined, fileName: string | undefined): DocumentFormat {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const byName = formatOfFileName(fileName);
  if (GENERIC_CONTENT_TYPES.has(type)) {
    if (byName) return byName;
    throw new InvalidInput(`The file type could not be determined. ${SUPPORTED}`, 'file');
  }
  const byType = (Object.keys(DOCUMENT_FORMATS) as DocumentFormat[]).find((f) => DOCUMENT_FORMATS[f].contentTypes.includes(type));
  if (!byType) throw new InvalidInput(`Files of type ${type} are not supported. ${SUPPORTED}`, 'file');
  // Browsers and tools often send Markdown as text/plain; the name tells it apart.
  if (byType === 'text' && byName === 'markdown') return 'markdown';
  return byType;
}

function formatOfFileName(fileName: string | undefined): DocumentFormat | undefined {
  const name = (fileName ?? '').toLowerCase();
  return (Object.keys(DOCUMENT_FORMATS) as DocumentFormat[]).find((f) => DOCUMENT_FORMATS[f].extensions.some((e) => name.endsWith(e)));
}

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // PK\3\4
/** Signatures of other binary files that must never be read as text. */
const OTHER_BINARY_MAGIC = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0x4d, 0x5a], // Windows executable
  [0x1f, 0x8b], // gzip
  [0xd0, 0xcf, 0x11, 0xe0], // legacy Office (DOC, XLS)
  [0x50, 0x4b, 0x05, 0x06], // empty zip
];

/** What the first bytes say the file is: pdf, docx (any zip), text, or other binary. */
function sniffBinary(bytes: Uint8Array): 'pdf' | 'docx' | 'text' | 'binary' {
  const startsWith = (magic: number[], at = 0) => magic.every((b, i) => bytes[at + i] === b);
  if (startsWith(PDF_MAGIC)) return 'pdf';
  if (startsWith(ZIP_MAGIC)) return 'docx';
  if (OTHER_BINARY_MAGIC.some((magic) => startsWith(magic))) return 'binary';
  return 'text';
}
