import { describe, expect, it } from 'vitest';
import { auditCsvLine, csvCell, csvLine } from './audit-csv';

describe('audit CSV', () => {
  it('keeps every formula-looking cell as text', () => {
    for (const dangerous of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\rx', '=HYPERLINK("http://x","y")']) {
      const cell = csvCell(dangerous);
      expect(cell.replace(/^"/, '').startsWith("'")).toBe(true);
    }
    expect(csvCell('member.role_changed')).toBe('member.role_changed');
  });

  it('quotes separators, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvLine(['x', 1, null])).toBe('x,1,\r\n');
  });

  it('writes one event per line with its metadata as JSON', () => {
    const line = auditCsvLine({
      seq: 7,
      id: 'e',
      createdAt: new Date('2026-01-02T03:04:05Z'),
      actorUserId: 'u',
      actorName: 'N',
      actorEmail: 'n@x.test',
      action: 'secret.created',
      target: '=cmd|x',
      metadata: { a: 1 },
      hash: 'h',
    });
    expect(line).toBe(`7,2026-01-02T03:04:05.000Z,u,n@x.test,secret.created,"'=cmd|x","{""a"":1}",h\r\n`);
  });
});
