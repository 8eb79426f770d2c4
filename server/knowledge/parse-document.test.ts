// parseDocument on every format, from files built here (pdf-lib, a hand-made DOCX
// zip): structure comes out as blocks, text is cleaned, and bad files (wrong type,
// oversize, encrypted, zip bomb, damaged) are refused with a user-facing error.
import JSZip from 'jszip';
import { PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { InvalidInput, LimitExceeded } from '../domain-errors';
import { documentText } from './document-blocks';
import { CONTENT_LIMITS, DOCUMENT_FORMATS } from './document-formats';
import { parseDocument, parsePastedText } from './parse-document';

const utf8 = (text: string) => new TextEncoder().encode(text);
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

async function buildPdf(pages: { text: string; size: number }[][], configure?: (doc: PDFDocument) => void): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([600, 800]);
    let y = 760;
    for (const line of lines) {
      page.drawText(line.text, { x: 50, y, size: line.size, font });
      y -= line.size * 1.3 + (line.size > 12 ? 10 : 0);
    }
  }
  configure?.(doc);
  return doc.save({ useObjectStreams: false });
}

const paragraph = (text: string, style?: string) =>
  `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}<w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;

async function buildDocx(body: string, extra: Record<string, string | Uint8Array> = {}): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      `<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
      '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  zip.file(
    'word/_rels/document.xml.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
  );
  const style = (id: string, name: string) => `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/></w:style>`;
  zip.file(
    'word/styles.xml',
    `<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${style('Heading1', 'heading 1')}${style('Heading2', 'heading 2')}</w:styles>`,
  );
  zip.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  );
  for (const [name, content] of Object.entries(extra)) zip.file(name, content);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeDefined();
  return error as Error;
}

describe('parseDocument: formats', () => {
  it('reads plain text into paragraphs and lists, cleaning control characters and normalising to NFC', async () => {
    const text = 'Cafe\u0301 opening hours\u0000 are 9\u0007 to 5.\r\nWeekends closed.\r\n\r\n- coffee\n- tea\n\n\n\nLast\tline';
    const { format, blocks, text: joined } = await parseDocument({ bytes: utf8(text), contentType: 'text/plain; charset=utf-8', fileName: 'hours.txt' });
    expect(format).toBe('text');
    expect(blocks).toEqual([
      { kind: 'paragraph', text: 'Café opening hours are 9 to 5.\nWeekends closed.' },
      { kind: 'list', text: '- coffee\n- tea' },
      { kind: 'paragraph', text: 'Last line' },
    ]);
    expect(joined).toBe(documentText(blocks));
    expect(joined.normalize('NFC')).toBe(joined);
    // eslint-disable-next-line no-control-regex -- asserting control characters are gone
    expect(joined).not.toMatch(/[\u0000-\u0008\u000B-\u001F]/);
  });

  it('reads UTF-16 text with a byte-order mark', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Hello there', 'utf16le')]);
    const { blocks } = await parseDocument({ bytes, contentType: 'text/plain' });
    expect(blocks).toEqual([{ kind: 'paragraph', text: 'Hello there' }]);
  });

  it('reads Markdown headings, inline markup, nested lists, code and tables', async () => {
    const markdown = [
      '# Guide',
      '',
      'Read the **whole** [guide](https://example.com) before `install`.',
      '',
      '## Install',
      '',
      '- Download',
      '  - Linux build',
      '- [x] Verify',
      '',
      '```sh',
      'tar -xzf enclave.tgz',
      '  ./install',
      '```',
      '',
      '| OS | Supported |',
      '|----|-----------|',
      '| Linux | yes |',
      '',
      '> Quoted tip',
      '',
      '<div>Raw <b>html</b><script>alert(1)</script></div>',
    ].join('\n');
    const { format, blocks } = await parseDocument({ bytes: utf8(markdown), contentType: 'text/markdown', fileName: 'guide.md' });
    expect(format).toBe('markdown');
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Guide' },
      { kind: 'paragraph', text: 'Read the whole guide before install.' },
      { kind: 'heading', level: 2, text: 'Install' },
      { kind: 'list', text: '- Download\n  - Linux build\n- [x] Verify' },
      { kind: 'code', text: 'tar -xzf enclave.tgz\n  ./install' },
      { kind: 'table', text: 'OS | Supported\nLinux | yes' },
      { kind: 'paragraph', text: 'Quoted tip' },
      { kind: 'paragraph', text: 'Raw html' },
    ]);
  });

  it('reads text/plain named .md as Markdown', async () => {
    const { format, blocks } = await parseDocument({ bytes: utf8('# Title\n\nBody'), contentType: 'text/plain', fileName: 'notes.MD' });
    expect(format).toBe('markdown');
    expect(blocks[0]).toEqual({ kind: 'heading', level: 1, text: 'Title' });
  });

  it('reads HTML structure and drops scripts, styles and the head', async () => {
    const html = `<!doctype html><html><head><title>T</title><style>p{color:red}</style></head><body>
      <nav>Menu</nav>
      <h1>Guide &amp; manual</h1><p>First   <b>bold</b> paragraph.<br>Second line.</p>
      <script>document.write("hidden")</script><noscript>no js</noscript>
      <h2>Install</h2><ul><li>Download<ul><li>Linux</li></ul></li><li>Run</li></ul>
      <pre>  indented
code</pre>
      <table><tr><th>OS</th><th>Ok</th></tr><tr><td>Linux</td><td>yes</td></tr></table>
      <div>Unclosed <i>tags`;
    const { blocks } = await parseDocument({ bytes: utf8(html), contentType: 'text/html' });
    expect(blocks).toEqual([
      { kind: 'paragraph', text: 'Menu' },
      { kind: 'heading', level: 1, text: 'Guide & manual' },
      { kind: 'paragraph', text: 'First bold paragraph. Second line.' },
      { kind: 'heading', level: 2, text: 'Install' },
      { kind: 'list', text: '- Download\n  - Linux\n- Run' },
      { kind: 'code', text: '  indented\ncode' },
      { kind: 'table', text: 'OS | Ok\nLinux | yes' },
      { kind: 'paragraph', text: 'Unclosed tags' },
    ]);
    expect(documentText(blocks)).not.toMatch(/hidden|color|no js/);
  });

  it('reads a PDF: larger lines become headings by size, body lines join into paragraphs', async () => {
    const bytes = await buildPdf([
      [
        { text: 'Enclave Guide', size: 24 },
        { text: 'Enclave runs agents for many workspaces.', size: 12 },
        { text: 'Each workspace is isolated by the database.', size: 12 },
        { text: 'Installation', size: 18 },
        { text: 'Install the package on a Linux server.', size: 12 },
      ],
      [{ text: 'Second page text about upgrades.', size: 12 }],
    ]);
    const { format, blocks } = await parseDocument({ bytes, contentType: 'application/pdf', fileName: 'guide.pdf' });
    expect(format).toBe('pdf');
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Enclave Guide' },
      { kind: 'paragraph', text: 'Enclave runs agents for many workspaces. Each workspace is isolated by the database.' },
      { kind: 'heading', level: 2, text: 'Installation' },
      { kind: 'paragraph', text: 'Install the package on a Linux server.' },
      { kind: 'paragraph', text: 'Second page text about upgrades.' },
    ]);
  });

  it('reads a DOCX: heading styles, paragraphs and tables', async () => {
    const body =
      paragraph('Handbook', 'Heading1') +
      paragraph('Welcome to the handbook.') +
      paragraph('Holidays', 'Heading2') +
      paragraph('Everyone gets 25 days &amp; public holidays.') +
      '<w:tbl><w:tr><w:tc>' + paragraph('Team') + '</w:tc><w:tc>' + paragraph('Days') + '</w:tc></w:tr>' +
      '<w:tr><w:tc>' + paragraph('Support') + '</w:tc><w:tc>' + paragraph('27') + '</w:tc></w:tr></w:tbl>';
    const bytes = await buildDocx(body);
    const { format, blocks } = await parseDocument({ bytes, contentType: DOCX_TYPE, fileName: 'handbook.docx' });
    expect(format).toBe('docx');
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Handbook' },
      { kind: 'paragraph', text: 'Welcome to the handbook.' },
      { kind: 'heading', level: 2, text: 'Holidays' },
      { kind: 'paragraph', text: 'Everyone gets 25 days & public holidays.' },
      { kind: 'table', text: 'Team | Days\nSupport | 27' },
    ]);
  });

  it('takes the format from the file name when the content type is generic', async () => {
    const bytes = await buildDocx(paragraph('Only text'));
    const { format } = await parseDocument({ bytes, contentType: 'application/octet-stream', fileName: 'x.docx' });
    expect(format).toBe('docx');
  });

  it('reads pasted text as Markdown', () => {
    expect(parsePastedText('## Notes\n\nRemember *this*.').blocks).toEqual([
      { kind: 'heading', level: 2, text: 'Notes' },
      { kind: 'paragraph', text: 'Remember this.' },
    ]);
  });
});

describe('parseDocument: refusals', () => {
  it('refuses content that does not match the declared type', async () => {
    const pdf = await buildPdf([[{ text: 'x', size: 12 }]]);
    const docx = await buildDocx(paragraph('x'));
    const cases: [Uint8Array, string][] = [
      [utf8('just text'), 'application/pdf'],
      [utf8('just text'), DOCX_TYPE],
      [pdf, 'text/plain'],
      [pdf, DOCX_TYPE],
      [docx, 'application/pdf'],
      [docx, 'text/html'],
      [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'text/markdown'],
    ];
    for (const [bytes, contentType] of cases) {
      const error = await refusal(parseDocument({ bytes, contentType }));
      expect(error, contentType).toBeInstanceOf(InvalidInput);
      expect(error.message).toMatch(/does not match its type/);
    }
  });

  it('refuses unsupported, undeclared and empty files', async () => {
    await expect(parseDocument({ bytes: utf8('a,b'), contentType: 'text/csv' })).rejects.toThrow(/text\/csv are not supported/);
    await expect(parseDocument({ bytes: utf8('abc'), contentType: '', fileName: 'file.bin' })).rejects.toThrow(/could not be determined/);
    await expect(parseDocument({ bytes: new Uint8Array(), contentType: 'text/plain' })).rejects.toThrow('The file is empty.');
    await expect(parseDocument({ bytes: utf8('  \n\u0000\n '), contentType: 'text/plain' })).rejects.toThrow(/No text was found/);
    await expect(parseDocument({ bytes: new Uint8Array([0x61, 0xff, 0xfe, 0x62]), contentType: 'text/plain' })).rejects.toThrow(/not valid UTF-8/);
  });

  it('refuses files over their format size limit', async () => {
    const pdfLimit = DOCUMENT_FORMATS.pdf.maxBytes;
    const big = new Uint8Array(pdfLimit + 1);
    big.set(utf8('%PDF-1.7\n'));
    const error = await refusal(parseDocument({ bytes: big, contentType: 'application/pdf' }));
    expect(error).toBeInstanceOf(LimitExceeded);
    expect(error.message).toBe('PDF files can be at most 10 MB.');
    const text = new Uint8Array(DOCUMENT_FORMATS.text.maxBytes + 1).fill(0x61);
    await expect(parseDocument({ bytes: text, contentType: 'text/plain' })).rejects.toThrow('Text files can be at most 5 MB.');
  });

  it('refuses an encrypted PDF', async () => {
    const bytes = await buildPdf([[{ text: 'secret', size: 12 }]], (doc) => {
      const encrypt = doc.context.obj({ Filter: 'Standard', V: 1, R: 2, P: -4 });
      encrypt.set(PDFName.of('O'), PDFString.of('0'.repeat(32)));
      encrypt.set(PDFName.of('U'), PDFString.of('0'.repeat(32)));
      doc.context.trailerInfo.Encrypt = doc.context.register(encrypt);
    });
    const error = await refusal(parseDocument({ bytes, contentType: 'application/pdf' }));
    expect(error).toBeInstanceOf(InvalidInput);
    expect(error.message).toMatch(/^This PDF is encrypted/);
  });

  it('refuses a PDF over the page limit', async () => {
    const bytes = await buildPdf(Array.from({ length: CONTENT_LIMITS.maxPdfPages + 1 }, () => []));
    const error = await refusal(parseDocument({ bytes, contentType: 'application/pdf' }));
    expect(error).toBeInstanceOf(LimitExceeded);
    expect(error.message).toMatch(/at most 500 pages/);
  });

  it('refuses a damaged PDF and a PDF without text', async () => {
    const damaged = utf8('%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage');
    await expect(parseDocument({ bytes: damaged, contentType: 'application/pdf' })).rejects.toThrow(/could not be read|No text/);
    const blank = await buildPdf([[]]);
    await expect(parseDocument({ bytes: blank, contentType: 'application/pdf' })).rejects.toThrow(/No text was found in this document. A scanned PDF/);
  });

  it('refuses a DOCX zip bomb, also one whose header lies about its size', async () => {
    const zeros = new Uint8Array(CONTENT_LIMITS.maxDocxUncompressedBytes + 1024);
    const bomb = await buildDocx(paragraph('x'), { 'word/media/padding.bin': zeros });
    expect(bomb.length).toBeLessThan(DOCUMENT_FORMATS.docx.maxBytes);
    const error = await refusal(parseDocument({ bytes: bomb, contentType: DOCX_TYPE }));
    expect(error).toBeInstanceOf(LimitExceeded);
    expect(error.message).toMatch(/^This DOCX expands to more than 50 MB/);

    // The central directory claims 100 bytes; inflating stops at the cap all the same.
    const lying = Buffer.from(bomb);
    const name = Buffer.from('word/media/padding.bin');
    let patched = 0;
    for (let at = lying.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); at >= 0; at = lying.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4)) {
      if (lying.subarray(at + 46, at + 46 + name.length).equals(name)) {
        lying.writeUInt32LE(100, at + 24);
        patched++;
      }
    }
    expect(patched).toBe(1);
    await expect(parseDocument({ bytes: lying, contentType: DOCX_TYPE })).rejects.toBeInstanceOf(LimitExceeded);
  });

  it('refuses a zip that is not a Word document, and a truncated one', async () => {
    const zip = new JSZip();
    zip.file('hello.txt', 'hi');
    const notWord = await zip.generateAsync({ type: 'uint8array' });
    await expect(parseDocument({ bytes: notWord, contentType: DOCX_TYPE })).rejects.toThrow('This file is not a Word document (DOCX).');
    const docx = await buildDocx(paragraph('x'));
    await expect(parseDocument({ bytes: docx.subarray(0, docx.length - 30), contentType: DOCX_TYPE })).rejects.toThrow(/could not be read/);
  });

  it('refuses documents over the character limit', async () => {
    const long = `${'word '.repeat(CONTENT_LIMITS.maxTextChars / 5 + 10)}`;
    await expect(parseDocument({ bytes: utf8(long), contentType: 'text/plain' })).rejects.toThrow(/at most 2,000,000 characters/);
  });

  it('answers every corrupted PDF or DOCX with blocks or a user-facing error, never anything else', async () => {
    const pdf = await buildPdf([[{ text: 'Title', size: 24 }, { text: 'Body text of the page.', size: 12 }]]);
    const docx = await buildDocx(paragraph('Title', 'Heading1') + paragraph('Body text.'));
    // A fixed-seed generator, so a failure reproduces.
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (const [bytes, contentType] of [[pdf, 'application/pdf'], [docx, DOCX_TYPE]] as const) {
      for (let round = 0; round < 15; round++) {
        const mutated = Uint8Array.from(bytes.subarray(0, Math.max(8, Math.floor(bytes.length * (round % 3 === 0 ? random() : 1)))));
        for (let flips = 0; flips < 1 + round; flips++) {
          const at = 8 + Math.floor(random() * (mutated.length - 8));
          mutated[at] = Math.floor(random() * 256);
        }
        const outcome = await parseDocument({ bytes: mutated, contentType }).then(
          (parsed) => parsed.blocks,
          (error: unknown) => error,
        );
        if (outcome instanceof Error) expect(outcome.constructor.name, outcome.message).toMatch(/^(InvalidInput|LimitExceeded)$/);
        else expect(Array.isArray(outcome)).toBe(true);
      }
    }
  });
});
