// Custom HTTP tools as stored per workspace: definitions checked on save, the auth
// secret must exist in the same workspace and cannot be deleted while a tool uses it,
// a tool an agent enables cannot be deleted, changes are audited, and B's tools
// stay out of A's reach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conflict, InvalidInput, NotFound } from '../domain-errors';
import { withWorkspace } from '../db/with-workspace';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import { createSecret, deleteSecret } from '../vault/secrets';
import { destroyWorkspaceKey } from '../vault/workspace-keys';
import { archiveAgent, createAgent } from './agents';
import { createCustomTool, customToolsOfWorkspace, deleteCustomTool, runtimeCustomTools, updateCustomTool, type CustomToolInput } from './custom-tools';
import { toolsFor } from './tools/tool-registry';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;

const ownerOf = (t: SeededTenant) => ({ userId: t.owner.id, workspaceId: t.workspace.id, role: 'owner' as const });

const orderLookup = (overrides: Partial<CustomToolInput> = {}): CustomToolInput => ({
  name: 'shipment_lookup',
  description: 'Looks up a shipment by order id.',
  parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'], additionalProperties: false },
  method: 'GET',
  urlTemplate: 'https://api.shop.example/orders/{order_id}',
  authHeader: 'Authorization',
  authSecretName: 'PROVIDER_API_KEY',
  authPrefix: 'Bearer ',
  enabled: true,
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

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
  await withWorkspace(b.workspace.id, (tx) => createSecret(tx, ownerOf(b), { name: 'B_ONLY_SECRET', value: 'b-only-value' }));
});
afterAll(async () => db.stop());

describe('custom HTTP tools', () => {
  it('saves a checked definition, lists it without secret values, updates it and audits each change', async () => {
    const created = await withWorkspace(a.workspace.id, (tx) => createCustomTool(tx, ownerOf(a), orderLookup()));
    expect(created).toMatchObject({ name: 'shipment_lookup', method: 'GET', enabled: true, headers: {}, auth: { header: 'Authorization', secretName: 'PROVIDER_API_KEY', prefix: 'Bearer ' } });
    const listed = await withWorkspace(a.workspace.id, (tx) => customToolsOfWorkspace(tx, a.workspace.id));
    expect(listed.map((t) => t.name)).toEqual(['order_lookup', 'shipment_lookup']);
    expect(JSON.stringify(listed)).not.toContain(a.secretValue);

    const updated = await withWorkspace(a.workspace.id, (tx) =>
      updateCustomTool(tx, ownerOf(a), created.id, { ...orderLookup({ method: 'POST', authHeader: '', authSecretName: '', enabled: false }) }),
    );
    expect(updated).toMatchObject({ name: 'shipment_lookup', method: 'POST', auth: null, enabled: false });

    const runtime = await withWorkspace(a.workspace.id, (tx) => runtimeCustomTools(tx, a.workspace.id));
    expect(runtime.map((t) => t.name)).toEqual(['order_lookup']);
    await withWorkspace(a.workspace.id, (tx) => updateCustomTool(tx, ownerOf(a), created.id, orderLookup()));
    const enabled = await withWorkspace(a.workspace.id, (tx) => runtimeCustomTools(tx, a.workspace.id));
    expect(toolsFor(['shipment_lookup', 'http_request'], enabled).definitions.map((d) => d.function.name)).toEqual(['shipment_lookup', 'http_request']);

    const { rows } = await db.owner.query(
      'SELECT action, target FROM audit_events WHERE workspace_id = $1 AND action LIKE $2 AND target = $3 ORDER BY created_at, id',
      [a.workspace.id, 'custom_tool.%', 'shipment_lookup'],
    );
    expect(rows).toEqual([
      { action: 'custom_tool.created', target: 'shipment_lookup' },
      { action: 'custom_tool.updated', target: 'shipment_lookup' },
      { action: 'custom_tool.updated', target: 'shipment_lookup' },
    ]);
  });

  it('refuses bad definitions with the field at fault', async () => {
    const cases: [Partial<CustomToolInput>, string][] = [
      [{ name: 'http_request' }, 'name'],
      [{ name: 'has space' }, 'name'],
      [{ urlTemplate: 'https://{host}/x' }, 'urlTemplate'],
      [{ urlTemplate: 'ftp://files.example/x' }, 'urlTemplate'],
      [{ parameters: { type: 'array' } }, 'parameters'],
      [{ authHeader: 'X-Key', authSecretName: 'NO_SUCH_SECRET' }, 'auth.secretName'],
      // B's secret name exists only in B.
      [{ name: 'other', authHeader: 'X-Key', authSecretName: 'B_ONLY_SECRET' }, 'auth.secretName'],
      [{ authHeader: 'X-Key', authSecretName: '' }, 'auth.secretName'],
      [{ authHeader: '', authSecretName: 'PROVIDER_API_KEY' }, 'auth.header'],
      [{ authHeader: 'Bad Header:', authSecretName: 'PROVIDER_API_KEY' }, 'auth.header'],
    ];
    for (const [overrides, field] of cases) {
      const error = await refusal(withWorkspace(a.workspace.id, (tx) => createCustomTool(tx, ownerOf(a), orderLookup({ name: 'checked', ...overrides }))));
      expect(error, JSON.stringify(overrides)).toBeInstanceOf(InvalidInput);
      expect((error as InvalidInput).field).toBe(field);
    }
    await expect(withWorkspace(a.workspace.id, (tx) => createCustomTool(tx, ownerOf(a), orderLookup()))).rejects.toThrow(Conflict);
  });

  it('keeps a secret in use and a tool an agent enables from being deleted', async () => {
    const tool = await withWorkspace(a.workspace.id, (tx) => createCustomTool(tx, ownerOf(a), orderLookup({ name: 'stock_check' })));
    const secretInUse = await refusal(withWorkspace(a.workspace.id, (tx) => deleteSecret(tx, ownerOf(a), a.secret.id)));
    expect(secretInUse).toBeInstanceOf(Conflict);
    expect(secretInUse.message).toBe('The secret PROVIDER_API_KEY is used by the tools order_lookup, shipment_lookup, stock_check; change or delete them first');

    const agent = await withWorkspace(a.workspace.id, (tx) =>
      createAgent(tx, ownerOf(a), {
        name: 'Stock agent',
        description: '',
        changeNote: '',
        systemPrompt: 'Check stock.',
        variables: [],
        providerId: null,
        model: 'enclave-local-chat',
        temperature: 0,
        maxSteps: 3,
        maxRunSeconds: 30,
        tools: ['stock_check'],
        memoryEnabled: false,
        knowledgeBaseIds: [],
        knowledgeMode: 'tool' as const,
        outputSchema: null,
      }),
    );
    const inUse = await refusal(withWorkspace(a.workspace.id, (tx) => deleteCustomTool(tx, ownerOf(a), tool.id)));
    expect(inUse).toBeInstanceOf(Conflict);
    expect(inUse.message).toContain('enabled by Stock agent');
    await withWorkspace(a.workspace.id, (tx) => archiveAgent(tx, ownerOf(a), agent.id));
    await withWorkspace(a.workspace.id, (tx) => deleteCustomTool(tx, ownerOf(a), tool.id));
    expect((await withWorkspace(a.workspace.id, (tx) => customToolsOfWorkspace(tx, a.workspace.id))).map((t) => t.name)).not.toContain('stock_check');
  });

  it("treats B's tools as missing from A", async () => {
    const bTool = await withWorkspace(b.workspace.id, (tx) => createCustomTool(tx, ownerOf(b), orderLookup()));
    expect(await refusal(withWorkspace(a.workspace.id, (tx) => updateCustomTool(tx, ownerOf(a), bTool.id, orderLookup())))).toBeInstanceOf(NotFound);
    expect(await refusal(withWorkspace(a.workspace.id, (tx) => updateCustomTool(tx, ownerOf(a), b.customTool.id, orderLookup())))).toBeInstanceOf(NotFound);
    expect(await refusal(withWorkspace(a.workspace.id, (tx) => deleteCustomTool(tx, ownerOf(a), bTool.id)))).toBeInstanceOf(NotFound);
    const { rows } = await db.owner.query('SELECT name FROM custom_tools WHERE id = $1', [bTool.id]);
    expect(rows).toEqual([{ name: 'shipment_lookup' }]);
  });

  it('leaves a tool without its secret out of the runtime when the vault key is shredded', async () => {
    const shredded = b;
    await withWorkspace(shredded.workspace.id, (tx) => destroyWorkspaceKey(tx, { workspaceId: shredded.workspace.id, userId: shredded.owner.id }));
    const tools = await withWorkspace(shredded.workspace.id, (tx) => customToolsOfWorkspace(tx, shredded.workspace.id));
    expect(tools.find((t) => t.name === 'order_lookup')?.auth).toEqual({ header: 'Authorization', secretName: null, prefix: 'Bearer ' });
    expect((await withWorkspace(shredded.workspace.id, (tx) => runtimeCustomTools(tx, shredded.workspace.id))).map((t) => t.name)).not.toContain('order_lookup');
  });

  it('enforces the secret reference in the database, within the workspace', async () => {
    // A row written around the domain still cannot point at a secret of another workspace.
    const error = await refusal(
      withWorkspace(a.workspace.id, (tx) =>
        tx.$executeRaw`INSERT INTO custom_tools (workspace_id, name, description, parameters, method, url_template, auth_header, auth_secret_name)
          VALUES (${a.workspace.id}::uuid, 'raw_tool', 'raw', '{"type":"object"}', 'GET', 'https://x.example/', 'X-Key', 'B_ONLY_SECRET')`,
      ),
    );
    expect(error.message).toMatch(/foreign key|custom_tools_auth_secret_fkey/);
  });
});
