// Agents against a real database: create with version 1, publish with template,
// tool and schema checks, diff, rollback as a new version, archive, the prompt
// library's include rules, audit events, immutability of versions for the app
// role, and workspace boundaries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conflict, InvalidInput, NotFound } from '../domain-errors';
import { withWorkspace } from '../db/with-workspace';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import type { VersionContent, VersionInput } from './agent-versions';
import {
  agentById,
  agentsOfWorkspace,
  agentVersion,
  archiveAgent,
  createAgent,
  diffAgentVersions,
  previewSystemPrompt,
  publishAgentVersion,
  rollbackAgent,
  versionsOfAgent,
} from './agents';
import { createSnippet, deleteSnippet, snippetsOfWorkspace, updateSnippet } from './prompt-snippets';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;

const ownerOf = (t: SeededTenant) => ({ userId: t.owner.id, workspaceId: t.workspace.id, role: 'owner' as const });
const inA = <T>(fn: (tx: Parameters<Parameters<typeof withWorkspace>[1]>[0]) => Promise<T>) => withWorkspace(a.workspace.id, fn);

const content = (overrides: Partial<VersionContent> = {}): VersionInput => ({
  systemPrompt: 'You are the support assistant of {{company}}.\nAnswer briefly.',
  variables: [{ name: 'company', default: 'Acme', description: 'Shown to the customer' }],
  providerId: null,
  model: 'enclave-local-chat',
  temperature: 0.3,
  maxSteps: 6,
  maxRunSeconds: 60,
  tools: ['http_request'],
  memoryEnabled: false,
  knowledgeBaseIds: [],
  knowledgeMode: 'tool' as const,
  outputSchema: null,
  ...overrides,
});

async function refusal(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected a refusal');
  return error;
}

/** Audit rows of one target (the seed writes its own). */
async function auditActions(t: SeededTenant, prefix: string, target: string) {
  const { rows } = await db.owner.query<{ action: string; target: string; metadata: Record<string, unknown> }>(
    'SELECT action, target, metadata FROM audit_events WHERE workspace_id = $1 AND action LIKE $2 AND target = $3 ORDER BY created_at, id',
    [t.workspace.id, `${prefix}%`, target],
  );
  return rows;
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
});
afterAll(async () => db.stop());

describe('agents and versions', () => {
  it('creates an agent with version 1, publishes v2, diffs, rolls back as v3 and audits', async () => {
    const created = await inA((tx) => createAgent(tx, ownerOf(a), { name: 'Support bot', description: 'Answers tickets', changeNote: '', ...content() }));
    expect(created.publishedVersion).toBe(1);
    expect(created.current).toMatchObject({ version: 1, changeNote: 'First version', model: 'enclave-local-chat', temperature: 0.3 });

    const v2 = await inA((tx) =>
      publishAgentVersion(tx, ownerOf(a), created.id, {
        ...content({ systemPrompt: 'You are the support assistant of {{company}}.\nAnswer in detail.', tools: ['http_request', 'run_javascript'] }),
        changeNote: 'More detail',
      }),
    );
    expect(v2.publishedVersion).toBe(2);

    const diff = await inA((tx) => diffAgentVersions(tx, a.workspace.id, created.id, 1, 2));
    expect(diff.prompt.filter((l) => l.op !== 'same')).toEqual([
      { op: 'removed', text: 'Answer briefly.', oldLine: 2, newLine: null },
      { op: 'added', text: 'Answer in detail.', oldLine: null, newLine: 2 },
    ]);
    expect(diff.fields).toEqual([{ field: 'tools', label: 'Tools', from: 'http_request', to: 'http_request, run_javascript' }]);

    const v3 = await inA((tx) => rollbackAgent(tx, ownerOf(a), created.id, 1));
    expect(v3.publishedVersion).toBe(3);
    expect(v3.current.changeNote).toBe('Rolled back to v1');
    const v1 = await inA((tx) => agentVersion(tx, a.workspace.id, created.id, 1));
    const strip = ({ id: _i, version: _v, changeNote: _n, createdAt: _c, ...rest }: typeof v1) => rest;
    expect(strip(v3.current)).toEqual(strip(v1));
    expect((await inA((tx) => diffAgentVersions(tx, a.workspace.id, created.id, 1, 3))).fields).toEqual([]);

    const history = await inA((tx) => versionsOfAgent(tx, a.workspace.id, created.id));
    expect(history.map((h) => [h.version, h.changeNote, h.authorName])).toEqual([
      [3, 'Rolled back to v1', 'alpha owner'],
      [2, 'More detail', 'alpha owner'],
      [1, 'First version', 'alpha owner'],
    ]);
    expect(await auditActions(a, 'agent.', 'Support bot')).toEqual([
      { action: 'agent.created', target: 'Support bot', metadata: { agentId: created.id, version: 1 } },
      { action: 'agent.published', target: 'Support bot', metadata: { agentId: created.id, version: 2 } },
      { action: 'agent.rolled_back', target: 'Support bot', metadata: { agentId: created.id, version: 3, restoredVersion: 1 } },
    ]);
    await expect(inA((tx) => rollbackAgent(tx, ownerOf(a), created.id, 3))).rejects.toThrow(Conflict);
  });

  it('refuses bad content with the field at fault, and keeps the version number', async () => {
    const agent = await inA((tx) => createAgent(tx, ownerOf(a), { name: 'Checked', description: '', changeNote: '', ...content() }));
    const cases: [Partial<VersionContent>, string, string][] = [
      [{ systemPrompt: 'Hello {{company' }, 'systemPrompt', '"{{" without a matching "}}"'],
      [{ systemPrompt: 'Hello {{> no-such-snippet}}' }, 'systemPrompt', 'no snippet named "no-such-snippet"'],
      [{ systemPrompt: 'Hello {{customer}}' }, 'variables', 'Declare the variables the prompt uses: customer'],
      [{ systemPrompt: '   ' }, 'systemPrompt', 'Write a system prompt'],
      [{ tools: ['http_request', 'send_email'] }, 'tools', 'Unknown tools: send_email'],
      [{ outputSchema: { type: 'array' } }, 'outputSchema', 'must describe an object'],
      [{ outputSchema: { type: 'object', properties: { a: { type: 'strin' } } } }, 'outputSchema', 'not a valid JSON schema'],
      [{ variables: [{ name: 'company', default: null, description: '' }, { name: 'company', default: null, description: '' }] }, 'variables', 'declared twice'],
      [{ cacheEnabled: true, cacheTtlSeconds: 5 }, 'cacheTtlSeconds', 'Keep cached answers for 10 to 2592000 seconds'],
      [{ cacheEnabled: true, cacheTtlSeconds: 3600, cacheSimilarityThreshold: 1.5 }, 'cacheSimilarityThreshold', 'from 0 to 1, or off'],
    ];
    for (const [overrides, field, message] of cases) {
      const error = await refusal(inA((tx) => publishAgentVersion(tx, ownerOf(a), agent.id, { ...content(overrides), changeNote: 'bad' })));
      expect(error, message).toBeInstanceOf(InvalidInput);
      expect((error as InvalidInput).field).toBe(field);
      expect(error.message).toContain(message);
    }
    const ok = await inA((tx) =>
      publishAgentVersion(tx, ownerOf(a), agent.id, {
        ...content({ outputSchema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] } }),
        changeNote: 'Structured',
      }),
    );
    expect(ok.publishedVersion).toBe(2);
    expect(ok.current.outputSchema).toEqual({ type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] });
  });

  it('keeps names unique per workspace, and the same name free in another workspace', async () => {
    await inA((tx) => createAgent(tx, ownerOf(a), { name: 'Twin', description: '', changeNote: '', ...content() }));
    await expect(inA((tx) => createAgent(tx, ownerOf(a), { name: ' Twin ', description: '', changeNote: '', ...content() }))).rejects.toThrow(Conflict);
    const inB = await withWorkspace(b.workspace.id, (tx) => createAgent(tx, ownerOf(b), { name: 'Twin', description: '', changeNote: '', ...content() }));
    expect(inB.name).toBe('Twin');
  });

  it('archives: no more versions, listed after the live agents, audited', async () => {
    const agent = await inA((tx) => createAgent(tx, ownerOf(a), { name: 'Old bot', description: '', changeNote: '', ...content() }));
    const archived = await inA((tx) => archiveAgent(tx, ownerOf(a), agent.id));
    expect(archived.archived).toBe(true);
    await expect(inA((tx) => publishAgentVersion(tx, ownerOf(a), agent.id, { ...content(), changeNote: '' }))).rejects.toThrow(Conflict);
    const list = await inA((tx) => agentsOfWorkspace(tx, a.workspace.id));
    expect(list.at(-1)).toMatchObject({ name: 'Old bot', archived: true, model: 'enclave-local-chat' });
    expect((await auditActions(a, 'agent.archived', 'Old bot')).map((r) => r.action)).toEqual(['agent.archived']);
  });

  it("treats another workspace's agent as missing", async () => {
    const bAgent = await withWorkspace(b.workspace.id, (tx) => createAgent(tx, ownerOf(b), { name: 'B only', description: '', changeNote: '', ...content() }));
    // Each attempt starts only when checked, so none is left rejected and unawaited.
    const attempts = [
      () => inA((tx) => agentById(tx, a.workspace.id, bAgent.id)),
      () => inA((tx) => versionsOfAgent(tx, a.workspace.id, bAgent.id)),
      () => inA((tx) => diffAgentVersions(tx, a.workspace.id, bAgent.id, 1, 1)),
      () => inA((tx) => publishAgentVersion(tx, ownerOf(a), bAgent.id, { ...content(), changeNote: '' })),
      () => inA((tx) => rollbackAgent(tx, ownerOf(a), bAgent.id, 1)),
      () => inA((tx) => archiveAgent(tx, ownerOf(a), bAgent.id)),
      // Even naming B's workspace inside A's transaction finds nothing: RLS pins the rows.
      () => inA((tx) => agentById(tx, b.workspace.id, bAgent.id)),
    ];
    for (const attempt of attempts) expect(await refusal(attempt())).toBeInstanceOf(NotFound);
    expect((await inA((tx) => agentsOfWorkspace(tx, a.workspace.id))).map((x) => x.id)).not.toContain(bAgent.id);
  });
});

describe('immutability of versions', () => {
  it('gives the app role no UPDATE or DELETE on agent_versions', async () => {
    const agent = await inA((tx) => createAgent(tx, ownerOf(a), { name: 'Frozen', description: '', changeNote: '', ...content() }));
    const update = await refusal(inA((tx) => tx.$executeRaw`UPDATE agent_versions SET system_prompt = 'tampered' WHERE agent_id = ${agent.id}::uuid`));
    expect(update.message).toContain('permission denied');
    const remove = await refusal(inA((tx) => tx.$executeRaw`DELETE FROM agent_versions WHERE agent_id = ${agent.id}::uuid`));
    expect(remove.message).toContain('permission denied');
    const renamed = await refusal(inA((tx) => tx.$executeRaw`UPDATE agents SET name = 'Renamed' WHERE id = ${agent.id}::uuid`));
    expect(renamed.message).toContain('permission denied');
    const { rows } = await db.owner.query('SELECT system_prompt FROM agent_versions WHERE agent_id = $1', [agent.id]);
    expect(rows).toEqual([{ system_prompt: content().systemPrompt }]);
  });
});

describe('prompt library', () => {
  it('includes snippets in published prompts and refuses to delete one in use', async () => {
    const tone = await inA((tx) => createSnippet(tx, ownerOf(a), { name: 'friendly-tone', description: 'House style', body: 'Be warm with {{customer}}.' }));
    const agent = await inA((tx) =>
      createAgent(tx, ownerOf(a), {
        name: 'With snippet',
        description: '',
        changeNote: '',
        ...content({
          systemPrompt: 'You work for {{company}}.\n{{> friendly-tone}}',
          variables: [
            { name: 'company', default: 'Acme', description: '' },
            { name: 'customer', default: 'there', description: '' },
          ],
        }),
      }),
    );
    expect(await inA((tx) => previewSystemPrompt(tx, a.workspace.id, agent.id, 1))).toEqual({
      text: 'You work for Acme.\nBe warm with there.',
      missingVariables: [],
      problem: null,
    });
    await inA((tx) => updateSnippet(tx, ownerOf(a), tone.id, { description: 'House style', body: 'Be warm and brief with {{customer}}.' }));
    expect((await inA((tx) => previewSystemPrompt(tx, a.workspace.id, agent.id, 1))).text).toBe('You work for Acme.\nBe warm and brief with there.');

    const listed = await inA((tx) => snippetsOfWorkspace(tx, a.workspace.id));
    expect(listed.find((s) => s.name === 'friendly-tone')?.usedBy).toEqual(['agent With snippet']);
    const inUse = await refusal(inA((tx) => deleteSnippet(tx, ownerOf(a), tone.id)));
    expect(inUse).toBeInstanceOf(Conflict);
    expect(inUse.message).toContain('included by agent With snippet');

    await inA((tx) => archiveAgent(tx, ownerOf(a), agent.id));
    await inA((tx) => deleteSnippet(tx, ownerOf(a), tone.id));
    // The archived version still exists; its preview explains why it no longer renders.
    expect((await inA((tx) => previewSystemPrompt(tx, a.workspace.id, agent.id, 1))).problem).toBe('The prompt library has no snippet named "friendly-tone".');
    expect((await auditActions(a, 'prompt_snippet.', 'friendly-tone')).map((r) => r.action)).toEqual([
      'prompt_snippet.created',
      'prompt_snippet.updated',
      'prompt_snippet.deleted',
    ]);
  });

  it('refuses bad names, duplicates, unknown includes and loops between snippets', async () => {
    const outer = await inA((tx) => createSnippet(tx, ownerOf(a), { name: 'outer', description: '', body: 'Outer text.' }));
    await inA((tx) => createSnippet(tx, ownerOf(a), { name: 'inner', description: '', body: 'Inner, then {{> outer}}' }));
    const loop = await refusal(inA((tx) => updateSnippet(tx, ownerOf(a), outer.id, { description: '', body: 'Now {{> inner}}' })));
    expect(loop).toBeInstanceOf(InvalidInput);
    expect(loop.message).toContain('loop');
    expect((loop as InvalidInput).field).toBe('body');
    expect(await refusal(inA((tx) => createSnippet(tx, ownerOf(a), { name: 'outer', description: '', body: 'x' })))).toBeInstanceOf(Conflict);
    expect((await refusal(inA((tx) => createSnippet(tx, ownerOf(a), { name: 'Bad Name', description: '', body: 'x' })))).message).toContain('lowercase');
    expect((await refusal(inA((tx) => createSnippet(tx, ownerOf(a), { name: 'dangling', description: '', body: '{{> nowhere}}' })))).message).toContain('no snippet named "nowhere"');
    expect((await refusal(inA((tx) => deleteSnippet(tx, ownerOf(a), outer.id)))).message).toContain('included by snippet inner');
    // B's library is separate: the same name is free there, and A's ids are missing in B.
    const bOuter = await withWorkspace(b.workspace.id, (tx) => createSnippet(tx, ownerOf(b), { name: 'outer', description: '', body: 'B text' }));
    expect(await refusal(inA((tx) => deleteSnippet(tx, ownerOf(a), bOuter.id)))).toBeInstanceOf(NotFound);
  });
});
