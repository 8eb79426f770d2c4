import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readTarGz, tarGz } from './tar-archive';

const files = [
  { name: 'manifest.json', content: Buffer.from('{"ok":true}') },
  { name: 'empty.ndjson', content: Buffer.alloc(0) },
  { name: 'exactly-512.ndjson', content: Buffer.alloc(512, 0x61) },
  { name: 'ünïcode.ndjson', content: Buffer.from('{"text":"✓"}\n'.repeat(100)) },
];

describe('tar.gz archive', () => {
  it('reads back what it wrote', () => {
    expect(readTarGz(tarGz(files), gunzipSync)).toEqual(files);
  });

  it('is a standard archive that tar extracts', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tar-test-'));
    try {
      writeFileSync(path.join(dir, 'out.tar.gz'), tarGz(files));
      execFileSync('tar', ['xzf', 'out.tar.gz'], { cwd: dir });
      for (const f of files) expect(readFileSync(path.join(dir, f.name))).toEqual(f.content);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a name longer than a ustar header holds', () => {
    expect(() => tarGz([{ name: `${'x'.repeat(101)}.ndjson`, content: Buffer.alloc(1) }])).toThrow(/too long/);
  });
});
