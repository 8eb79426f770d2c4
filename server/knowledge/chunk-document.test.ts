// chunkDocument: chunks follow headings, fit the token budget, overlap within a
// section at word boundaries, split long paragraphs at sentences, keep offsets and
// heading paths that point back into the document text, and are deterministic.
import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../domain-errors';
import type { DocumentBlock } from './document-blocks';
import { blockOffsets, documentText } from './document-blocks';
import { chunkDocument } from './chunk-document';
import type { DocumentChunk } from './chunk-document';
import { parseDocument } from './parse-document';

const h = (level: 1 | 2 | 3, text: string): DocumentBlock => ({ kind: 'heading', level, text });
const p = (text: string): DocumentBlock => ({ kind: 'paragraph', text });

/** Sentences that differ, so overlaps and splits are visible. */
function sentences(count: number, topic: string): string {
  return Array.from({ length: count }, (_, i) => `Step ${i + 1} of the ${topic} procedure checks the configuration carefully.`).join(' ');
}

/** The guarantees every chunking must keep, whatever the input. */
function expectWellFormed(blocks: DocumentBlock[], chunks: DocumentChunk[], maxTokens: number) {
  const text = documentText(blocks);
  chunks.forEach((chunk, i) => {
    expect(chunk.index).toBe(i);
    expect(chunk.text).toBe(text.slice(chunk.start, chunk.end));
    expect(chunk.tokenCount).toBe(countTokens(chunk.text));
    expect(chunk.tokenCount).toBeLessThanOrEqual(maxTokens);
    // Never inside a word: a chunk starts and ends at whitespace or the text's ends.
    if (chunk.start > 0) expect(text[chunk.start - 1]).toMatch(/\s/);
    if (chunk.end < text.length) expect(text[chunk.end]).toMatch(/\s/);
  });
  // Every character of every non-heading block is in some chunk.
  const offsets = blockOffsets(blocks);
  blocks.forEach((block, i) => {
    if (block.kind === 'heading') return;
    for (let at = offsets[i]!.start; at < offsets[i]!.end; at++) {
      if (/\s/.test(text[at]!)) continue;
      expect(chunks.some((c) => c.start <= at && at < c.end), `offset ${at}`).toBe(true);
    }
  });
}

describe('chunkDocument', () => {
  const guide = [
    p('Welcome text before any heading.'),
    h(1, 'Guide'),
    p('The guide explains Enclave.'),
    h(2, 'Install'),
    h(3, 'Linux'),
    p('Use the package manager on Linux.'),
    h(3, 'Windows'),
    p('Run the installer on Windows.'),
    h(2, 'Usage'),
    p('Start the server and sign in.'),
    h(1, 'Appendix'),
  ];

  it('starts a chunk at every heading and records the heading path, carrying an empty parent heading into its child', () => {
    const chunks = chunkDocument(guide, { maxTokens: 200, overlapTokens: 20 });
    expect(chunks.map((c) => ({ text: c.text, path: c.headingPath }))).toEqual([
      { text: 'Welcome text before any heading.', path: [] },
      { text: 'Guide\n\nThe guide explains Enclave.', path: ['Guide'] },
      { text: 'Install\n\nLinux\n\nUse the package manager on Linux.', path: ['Guide', 'Install', 'Linux'] },
      { text: 'Windows\n\nRun the installer on Windows.', path: ['Guide', 'Install', 'Windows'] },
      { text: 'Usage\n\nStart the server and sign in.', path: ['Guide', 'Usage'] },
      { text: 'Appendix', path: ['Appendix'] },
    ]);
    expectWellFormed(guide, chunks, 200);
  });

  it('packs short paragraphs of one section together up to the budget', () => {
    const blocks = [h(1, 'FAQ'), p('Short one.'), p('Short two.'), p('Short three.')];
    const chunks = chunkDocument(blocks, { maxTokens: 100, overlapTokens: 0 });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.text).toBe('FAQ\n\nShort one.\n\nShort two.\n\nShort three.');
    expect(chunks[0]).toMatchObject({ start: 0, end: documentText(blocks).length, headingPath: ['FAQ'] });
  });

  it('splits an oversized paragraph at sentence ends and overlaps consecutive chunks by at most overlapTokens, at word starts', () => {
    const blocks = [h(1, 'Manual'), h(2, 'Setup'), p(sentences(30, 'setup'))];
    const options = { maxTokens: 64, overlapTokens: 16 };
    const chunks = chunkDocument(blocks, options);
    expect(chunks.length).toBeGreaterThan(5);
    expectWellFormed(blocks, chunks, options.maxTokens);
    const text = documentText(blocks);
    for (let i = 1; i < chunks.length; i++) {
      const [previous, next] = [chunks[i - 1]!, chunks[i]!];
      expect(next.headingPath).toEqual(['Manual', 'Setup']);
      // The next chunk repeats the tail of the previous one…
      expect(next.start).toBeLessThan(previous.end);
      expect(next.start).toBeGreaterThan(previous.start);
      const overlap = text.slice(next.start, previous.end);
      expect(countTokens(overlap)).toBeGreaterThan(0);
      expect(countTokens(overlap)).toBeLessThanOrEqual(options.overlapTokens);
      // …and then moves on with whole sentences.
      expect(next.end).toBeGreaterThan(previous.end);
      expect(next.text).toMatch(/\.$/);
    }
  });

  it('does not overlap when asked not to, and never overlaps across a heading', () => {
    const blocks = [h(1, 'A'), p(sentences(12, 'alpha')), h(1, 'B'), p(sentences(12, 'beta'))];
    const none = chunkDocument(blocks, { maxTokens: 64, overlapTokens: 0 });
    for (let i = 1; i < none.length; i++) expect(none[i]!.start).toBeGreaterThanOrEqual(none[i - 1]!.end);
    const overlapping = chunkDocument(blocks, { maxTokens: 64, overlapTokens: 16 });
    const firstOfB = overlapping.findIndex((c) => c.headingPath[0] === 'B');
    expect(overlapping[firstOfB]!.text.startsWith('B\n\n')).toBe(true);
    expect(overlapping[firstOfB]!.start).toBeGreaterThanOrEqual(overlapping[firstOfB - 1]!.end);
  });

  it('splits a sentence longer than the budget at words, and a word longer than the budget by length', () => {
    const longSentence = `${'configuration '.repeat(200).trim()}.`;
    const blob = 'x9'.repeat(2_000);
    const blocks = [p(longSentence), p(blob)];
    const chunks = chunkDocument(blocks, { maxTokens: 50, overlapTokens: 10 });
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) expect(chunk.tokenCount).toBeLessThanOrEqual(50);
    const text = documentText(blocks);
    for (const chunk of chunks.filter((c) => c.end <= longSentence.length)) {
      if (chunk.start > 0) expect(text[chunk.start - 1]).toBe(' ');
      expect(text.slice(chunk.start, chunk.end)).toMatch(/^configuration[ .]/);
    }
    // The blob is covered end to end.
    const blobStart = text.indexOf(blob);
    expect(chunks.filter((c) => c.start >= blobStart).map((c) => c.text).join('')).toBe(blob);
  });

  it('keeps a heading that cannot share a chunk with its first paragraph only in the path', () => {
    const blocks = [h(1, 'Very long heading words '.repeat(4).trim()), p(sentences(3, 'fit'))];
    const maxTokens = countTokens(blocks[1]!.text) + 2;
    const chunks = chunkDocument(blocks, { maxTokens, overlapTokens: 0 });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.text).toBe(blocks[1]!.text);
    expect(chunks[0]!.headingPath).toEqual([blocks[0]!.text]);
  });

  it('is deterministic', () => {
    const blocks = [h(1, 'Guide'), p(sentences(40, 'repeat')), h(2, 'More'), p(sentences(10, 'more'))];
    const options = { maxTokens: 80, overlapTokens: 20 };
    expect(chunkDocument(blocks, options)).toEqual(chunkDocument(blocks, options));
  });

  it('refuses a budget out of range and an overlap over half of it', () => {
    expect(() => chunkDocument(guide, { maxTokens: 4, overlapTokens: 0 })).toThrow(InvalidInput);
    expect(() => chunkDocument(guide, { maxTokens: 100, overlapTokens: 51 })).toThrow(/half of the chunk size/);
    expect(() => chunkDocument(guide, { maxTokens: 100.5, overlapTokens: 0 })).toThrow(InvalidInput);
  });

  it('chunks a parsed Markdown document with its heading paths', async () => {
    const markdown = ['# Guide', '', 'Intro.', '', '## Install', '', '### Linux', '', sentences(20, 'linux'), '', '```', 'make install', '```'].join('\n');
    const { blocks, text } = await parseDocument({ bytes: new TextEncoder().encode(markdown), contentType: 'text/markdown' });
    const chunks = chunkDocument(blocks, { maxTokens: 96, overlapTokens: 24 });
    expectWellFormed(blocks, chunks, 96);
    expect(chunks[0]!.headingPath).toEqual(['Guide']);
    expect(chunks.slice(1).every((c) => c.headingPath.join('/') === 'Guide/Install/Linux')).toBe(true);
    expect(chunks.at(-1)!.text.endsWith('make install')).toBe(true);
    for (const chunk of chunks) expect(text.slice(chunk.start, chunk.end)).toBe(chunk.text);
  });

  it('chunks a megabyte of short sentences and a megabyte-long word in seconds, within the budget', { timeout: 30_000 }, () => {
    const blocks = [p('A sentence here. '.repeat(60_000).trim()), p('x'.repeat(1_000_000))];
    const chunks = chunkDocument(blocks, { maxTokens: 512, overlapTokens: 64 });
    expect(chunks.length).toBeGreaterThan(500);
    for (const chunk of chunks) expect(chunk.tokenCount).toBeLessThanOrEqual(512);
    const text = documentText(blocks);
    expect(chunks.at(-1)!.end).toBe(text.length);
  });
});
