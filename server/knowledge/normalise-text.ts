// Text cleaning shared by every format: NFC, well-formed UTF-16, no NUL or other
// control characters (tabs become spaces, line breaks become \n), so stored and
// embedded text is safe to index and compare.

// Halves of surrogate pairs without their other half (invalid UTF-16).
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// C0 controls except \t and \n, DEL, C1 controls, and the byte-order mark.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFEFF]/g;

/** Cleaned text with line breaks kept (for code and preformatted text). */
export function cleanText(text: string): string {
  return text
    .replace(LONE_SURROGATES, '\uFFFD')
    .replace(/\r\n?|\u2028|\u2029/g, '\n')
    .replace(/\t/g, '  ')
    .replace(CONTROL_CHARACTERS, '')
    .normalize('NFC');
}

/** Cleaned text on one line: every run of whitespace becomes one space, trimmed. */
export function cleanInline(text: string): string {
  return cleanText(text).replace(/\s+/g, ' ').trim();
}

/** Cleaned text keeping single line breaks, each line's inner whitespace collapsed, no blank lines. */
export function cleanLines(text: string): string {
  return cleanText(text)
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/** Preformatted text: trailing spaces and leading/trailing blank lines dropped, blank runs kept to one. */
export function cleanPreformatted(text: string): string {
  return cleanText(text)
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '');
}
