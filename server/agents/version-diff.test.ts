// The line diff keeps unchanged lines, shows removals before additions, and numbers
// both sides; the version diff lists exactly the settings that changed.
import { describe, expect, it } from 'vitest';
import { CACHE_OFF, type AgentVersionView } from './agent-versions';
import { diffLines, diffVersions } from './version-diff';

const base: AgentVersionView = {
  id: 'v1',
  agentId: 'a',
  version: 1,
  systemPrompt: 'You are a helper.\nBe brief.\nSign as Bot.',
  variables: [],
  providerId: null,
  model: 'enclave-local-chat',
  temperature: 0.7,
  maxSteps: 8,
  maxRunSeconds: 120,
  tools: ['http_request'],
  memoryEnabled: false,
  knowledgeBaseIds: [],
  knowledgeMode: 'tool' as const,
  outputSchema: null,
  ...CACHE_OFF,
  changeNote: '',
  createdBy: null,
  createdAt: new Date(0),
};

describe('diffLines', () => {
  it('marks a changed middle line as removed then added, with line numbers', () => {
    expect(diffLines('a\nb\nc', 'a\nB\nc')).toEqual([
      { op: 'same', text: 'a', oldLine: 1, newLine: 1 },
      { op: 'removed', text: 'b', oldLine: 2, newLine: null },
      { op: 'added', text: 'B', oldLine: null, newLine: 2 },
      { op: 'same', text: 'c', oldLine: 3, newLine: 3 },
    ]);
  });

  it('finds the longest common subsequence across insertions and deletions', () => {
    const ops = diffLines('x\na\nb\nc\ny', 'x\nb\nc\nd\ny').map((l) => `${l.op[0]}${l.text}`);
    expect(ops).toEqual(['sx', 'ra', 'sb', 'sc', 'ad', 'sy']);
  });

  it('handles empty sides and identical text', () => {
    expect(diffLines('', 'one').map((l) => l.op)).toEqual(['removed', 'added']);
    expect(diffLines('same\ntext', 'same\ntext').every((l) => l.op === 'same')).toBe(true);
  });
});

describe('diffVersions', () => {
  it('lists only the settings that changed, beside the prompt diff', () => {
    const next = { ...base, version: 2, systemPrompt: 'You are a helper.\nBe thorough.\nSign as Bot.', temperature: 0.2, tools: ['run_javascript', 'http_request'], outputSchema: { type: 'object' } };
    const diff = diffVersions(base, next);
    expect(diff.from).toBe(1);
    expect(diff.to).toBe(2);
    expect(diff.prompt.filter((l) => l.op !== 'same').map((l) => l.text)).toEqual(['Be brief.', 'Be thorough.']);
    expect(diff.fields.map((f) => [f.field, f.from, f.to])).toEqual([
      ['temperature', '0.7', '0.2'],
      ['tools', 'http_request', 'http_request, run_javascript'],
      ['outputSchema', '(none)', '{\n  "type": "object"\n}'],
    ]);
    expect(diffVersions(base, { ...base, version: 3 }).fields).toEqual([]);
    const cached = { ...base, version: 4, cacheEnabled: true, cacheTtlSeconds: 600, cacheSimilarityThreshold: 0.9 };
    expect(diffVersions(base, cached).fields.map((f) => [f.label, f.from, f.to])).toEqual([
      ['Response cache', 'off', 'on'],
      ['Cache TTL (s)', '3600', '600'],
      ['Cache similarity threshold', 'off (exact matches only)', '0.9'],
    ]);
  });
});
