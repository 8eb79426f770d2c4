// The agents, prompts and tools procedures as a client meets them: refusals are
// clean 4xx answers with the user-facing message (never a 500), members publish,
// viewers only read, and the demo agent arrives with a history to diff.
import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoAgents } from '../../agents/demo-agents';
import { signUp } from '../../tenancy/accounts';
import { createWorkspace } from '../../tenancy/workspaces';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../../testing/two-workspaces';
import { createContext, type SessionUser } from '../context';
import { appRouter, createCaller } from '../root';

let db: TestDatabase;
let a: SeededTenant;

const as = (user: SessionUser) => createCaller(createContext(user));

async function refusal(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

const content = {
  systemPrompt: 'Hello {{name}}',
  variables: [{ name: 'name', default: 'there', description: '' }],
  model: 'enclave-local-chat',
  temperature: 0.5,
  maxSteps: 4,
  maxRunSeconds: 60,
  tools: [] as string[],
  memoryEnabled: false,
  knowledgeBaseIds: [] as string[],
  knowledgeMode: 'tool' as const,
  outputSchema: null,
};

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a } = await seedTwoWorkspaces());
});
afterAll(async () => db.stop());

describe('agents procedures', () => {
  it('lets a member publish and answers bad content with BAD_REQUEST and its message', async () => {
    const member = as(a.member);
    const ids = { workspaceId: a.workspace.id, agentId: a.agent.id };
    const published = await member.agents.publish({ ...ids, ...content, description: 'Now by a member', changeNote: 'Member edit' });
    expect(published.publishedVersion).toBe(3);
    expect(published.description).toBe('Now by a member');

    const unbalanced = await refusal(member.agents.publish({ ...ids, ...content, systemPrompt: 'Hello {{name', description: '', changeNote: '' }));
    expect(unbalanced.code).toBe('BAD_REQUEST');
    expect(unbalanced.message).toBe('The prompt has "{{" without a matching "}}" (line 1).');
    const schema = await refusal(member.agents.publish({ ...ids, ...content, temperature: 3, description: '', changeNote: '' }));
    expect(schema.code).toBe('BAD_REQUEST');
    expect(schema.message).toContain('Use 0–2');
    const duplicate = await refusal(member.agents.create({ workspaceId: a.workspace.id, ...content, name: a.agent.name, description: '', changeNote: '' }));
    expect(duplicate.code).toBe('CONFLICT');
    const missing = await refusal(member.agents.diff({ ...ids, fromVersion: 1, toVersion: 99 }));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toBe('Version 99 not found');
  });

  it('lets members write snippets but only admins and owners define tools', async () => {
    const member = as(a.member);
    const snippet = await member.prompts.create({ workspaceId: a.workspace.id, name: ' Sign-Off ', description: '', body: 'Bye.' });
    expect(snippet.name).toBe('sign-off');
    const tool = await refusal(
      member.tools.create({
        workspaceId: a.workspace.id,
        name: 'member_tool',
        description: 'x',
        parameters: { type: 'object' },
        method: 'GET',
        urlTemplate: 'https://x.example/',
        authHeader: '',
        authSecretName: '',
        authPrefix: '',
        enabled: true,
      }),
    );
    expect(tool.code).toBe('FORBIDDEN');
    const listed = await member.tools.list({ workspaceId: a.workspace.id });
    expect(listed.builtIns.map((t) => t.name)).toEqual(['http_request', 'run_javascript']);
    expect(listed.custom.map((t) => t.name)).toEqual(['order_lookup']);
    expect(JSON.stringify(listed)).not.toContain(a.secretValue);
  });
});

describe('over HTTP', () => {
  it('answers a refused template with 400, the message and the field it is about', async () => {
    const input = { workspaceId: a.workspace.id, agentId: a.agent.id, ...content, systemPrompt: 'Hi {{> nowhere}}', description: '', changeNote: '' };
    const req = new Request('http://localhost/api/trpc/agents.publish', {
      method: 'POST',
      body: JSON.stringify(superjson.serialize(input)),
      headers: { 'content-type': 'application/json' },
    });
    const res = await fetchRequestHandler({ endpoint: '/api/trpc', req, router: appRouter, createContext: async () => createContext(a.owner) });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { json: { message: string; data: { fieldErrors: unknown } } } };
    expect(body.error.json.message).toBe('The prompt library has no snippet named "nowhere".');
    expect(body.error.json.data).toMatchObject({ fieldErrors: { systemPrompt: ['The prompt library has no snippet named "nowhere".'] } });
  });
});

describe('demo agents', () => {
  it('seeds a support assistant with two versions whose diff shows the tool it gained', async () => {
    const owner = await signUp({ email: 'demo-owner@demo.test', name: 'Demo owner', password: 'correct horse battery staple' });
    const workspace = await createWorkspace(owner.id, { name: 'Demo Co' });
    await seedDemoAgents(workspace.id, owner.id, 'Demo Co');
    const caller = as(owner);
    const [agent] = await caller.agents.list({ workspaceId: workspace.id });
    expect(agent).toMatchObject({ name: 'Support assistant', publishedVersion: 2 });
    const diff = await caller.agents.diff({ workspaceId: workspace.id, agentId: agent!.id, fromVersion: 1, toVersion: 2 });
    expect(diff.fields.map((f) => [f.field, f.to])).toEqual([['tools', 'run_javascript']]);
    expect(diff.prompt.filter((l) => l.op === 'added').map((l) => l.text)).toEqual(['Work out refund amounts with run_javascript rather than by heart.']);
    const preview = await caller.agents.preview({ workspaceId: workspace.id, agentId: agent!.id, version: 2 });
    expect(preview.text).toContain('Help the customer with orders');
    expect(preview.text).toContain('Sign as "The Demo Co support team".');
  });
});
