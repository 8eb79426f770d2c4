// What changed between two agent versions: a line diff of the system prompt (longest
// common subsequence) and a field-by-field list of the other settings.
import type { AgentVersionView } from './agent-versions';

export type DiffLine = { op: 'same' | 'added' | 'removed'; text: string; oldLine: number | null; newLine: number | null };
export type FieldChange = { field: string; label: string; from: string; to: string };
export type VersionDiff = { from: number; to: number; prompt: DiffLine[]; fields: FieldChange[] };

/** Lines beyond which the quadratic table is skipped: the changed middle is shown whole. */
const MAX_LCS_CELLS = 4_000_000;

export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  // Common head and tail first: most edits touch a few lines in the middle.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail += 1;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const out: DiffLine[] = [];
  for (let i = 0; i < head; i += 1) out.push({ op: 'same', text: a[i]!, oldLine: i + 1, newLine: i + 1 });
  const middle = midA.length * midB.length > MAX_LCS_CELLS ? replaceAll(midA, midB) : lcsDiff(midA, midB);
  for (const line of middle) {
    out.push({
      ...line,
      oldLine: line.oldLine === null ? null : line.oldLine + head,
      newLine: line.newLine === null ? null : line.newLine + head,
    });
  }
  for (let i = tail; i > 0; i -= 1) {
    out.push({ op: 'same', text: a[a.length - i]!, oldLine: a.length - i + 1, newLine: b.length - i + 1 });
  }
  return out;
}

function replaceAll(a: string[], b: string[]): DiffLine[] {
  return [
    ...a.map((text, i) => ({ op: 'removed' as const, text, oldLine: i + 1, newLine: null })),
    ...b.map((text, j) => ({ op: 'added' as const, text, oldLine: null, newLine: j + 1 })),
  ];
}

function lcsDiff(a: string[], b: string[]): DiffLine[] {
  const width = b.length + 1;
  // lengths[i * width + j]: LCS length of a[i..] and b[j..].
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lengths[i * width + j] = a[i] === b[j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ op: 'same', text: a[i]!, oldLine: i + 1, newLine: j + 1 });
      i += 1;
      j += 1;
    } else if (j < b.length && (i === a.length || lengths[i * width + j + 1]! >= lengths[(i + 1) * width + j]!)) {
      out.push({ op: 'added', text: b[j]!, oldLine: null, newLine: j + 1 });
      j += 1;
    } else {
      out.push({ op: 'removed', text: a[i]!, oldLine: i + 1, newLine: null });
      i += 1;
    }
  }
  // Show removals before additions within each changed block, as diff tools do.
  return groupChanges(out);
}

function groupChanges(lines: DiffLine[]): DiffLine[] {
  const out: DiffLine[] = [];
  let removed: DiffLine[] = [];
  let added: DiffLine[] = [];
  const flush = () => {
    out.push(...removed, ...added);
    removed = [];
    added = [];
  };
  for (const line of lines) {
    if (line.op === 'same') {
      flush();
      out.push(line);
    } else (line.op === 'removed' ? removed : added).push(line);
  }
  flush();
  return out;
}

const show = {
  text: (v: string) => v,
  list: (v: readonly string[]) => (v.length ? v.join(', ') : '(none)'),
  json: (v: unknown) => (v === null || v === undefined ? '(none)' : JSON.stringify(v, null, 2)),
  bool: (v: boolean) => (v ? 'on' : 'off'),
};

/** Every setting besides the prompt, as shown to a reader of the diff. */
function settingsOf(v: AgentVersionView): { field: string; label: string; value: string }[] {
  return [
    { field: 'model', label: 'Model', value: v.model },
    { field: 'providerId', label: 'Provider', value: v.providerId ?? 'workspace default' },
    { field: 'temperature', label: 'Temperature', value: String(v.temperature) },
    { field: 'maxSteps', label: 'Max steps', value: String(v.maxSteps) },
    { field: 'maxRunSeconds', label: 'Max run duration (s)', value: String(v.maxRunSeconds) },
    { field: 'tools', label: 'Tools', value: show.list([...v.tools].sort()) },
    { field: 'memoryEnabled', label: 'Memory', value: show.bool(v.memoryEnabled) },
    { field: 'knowledgeBaseIds', label: 'Knowledge bases', value: show.list([...v.knowledgeBaseIds].sort()) },
    { field: 'knowledgeMode', label: 'Knowledge retrieval', value: v.knowledgeMode === 'automatic' ? 'Automatic, into the context' : 'Only via the knowledge_search tool' },
    {
      field: 'variables',
      label: 'Variables',
      value: show.list(v.variables.map((x) => (x.default === null ? x.name : `${x.name}=${x.default}`))),
    },
    { field: 'outputSchema', label: 'Structured output', value: show.json(v.outputSchema) },
    { field: 'cacheEnabled', label: 'Response cache', value: show.bool(v.cacheEnabled) },
    { field: 'cacheTtlSeconds', label: 'Cache TTL (s)', value: String(v.cacheTtlSeconds) },
    {
      field: 'cacheSimilarityThreshold',
      label: 'Cache similarity threshold',
      value: v.cacheSimilarityThreshold === null ? 'off (exact matches only)' : String(v.cacheSimilarityThreshold),
    },
  ];
}

export function diffVersions(from: AgentVersionView, to: AgentVersionView): VersionDiff {
  const before = settingsOf(from);
  const after = settingsOf(to);
  const fields = before.flatMap((b, i) => (b.value === after[i]!.value ? [] : [{ field: b.field, label: b.label, from: b.value, to: after[i]!.value }]));
  return { from: from.version, to: to.version, prompt: diffLines(from.systemPrompt, to.systemPrompt), fields };
}
