// The egress allow-list end to end: entries are normalised or refused with a
// message, stored per workspace under RLS and audited, a custom tool's host is
// added when the tool is saved, and a run's http_request reaches a listed host,
// is refused for an unlisted one (the model reads which host and why), and is
// still refused a private address after DNS unless the operator granted it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../agents/agents';
import { claimNextRun } from '../agents/claim-order';
import { createCustomTool, updateCustomTool } from '../agents/custom-tools';
import { NEW_AGENT_DEFAULTS } from '../agents/new-agent-defaults';
import { executeRun } from '../agents/run-loop';
import { runById, startRun } from '../agents/runs';
import { createQuickJsSandbox } from '../agents/tools/javascript-sandbox';
import { withWorkspace } from '../db/with-workspace';
import { Conflict, InvalidInput, NotFound } from '../domain-errors';
import { setPrivateEgress } from '../llm/egress-grants';
import { startLocalModelServer, type LocalModelServer } from '../llm/local-model/local-model-server';
import type { Actor } from '../tenancy/members';
import { recordingEgress } from '../testing/recording-egress';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { localModelGateway, seedTenantsOnLocalModel } from '../testing/local-model-tenants';
import type { SeededTenant } from '../testing/two-workspaces';
import { addAllowedHost, allowedHostsOfWorkspace, allowListOfWorkspace, parseAllowListEntry, removeAllowedHost } from './egress-allow-list';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let ownerA: Actor;
let model: LocalModelServer;
const sandbox = createQuickJsSandbox();

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b, ownerA } = await seedTenantsOnLocalModel());
  model = await startLocalModelServer({ port: 0 });
}, 120_000);

afterAll(async () => {
  await sandbox.close();
  await model?.stop();
  await db?.stop();
});

function refusalOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInput);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('an allow-list entry', () => {
  it.each([
    ['API.Example.com.', 'api.example.com'],
    ['  *.Partner.io ', '*.partner.io'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['*.straße.example', '*.xn--strae-oqa.example'],
    ['93.184.215.14', '93.184.215.14'],
    ['[2606:4700::1111]', '2606:4700:0:0:0:0:0:1111'],
  ])('%s is stored as %s', (input, stored) => {
    expect(parseAllowListEntry(input, false)).toBe(stored);
  });

  it.each([
    ['', 'Enter a host'],
    ['https://api.example.com/v1', 'no https://, path or credentials'],
    ['api.example.com/v1', 'no https://, path or credentials'],
    ['user@api.example.com', 'no https://, path or credentials'],
    ['api.example.com:8443', 'Leave out the port'],
    ['*', 'Every host cannot be allowed'],
    ['*.com', 'whole top-level domain'],
    ['api.*.example.com', 'wildcard may only stand first'],
    ['*.10.0.0.1', 'needs a domain name'],
    ['exa mple.com', 'no https://'],
    ['-bad-.example', 'not a valid host name'],
    ['exa\u0000mple.com', 'not a valid host name'],
    ['ex\u202Eample.com', 'not a valid host name'],
    ['metadata.google.internal', 'cloud metadata service'],
    ['169.254.169.254', 'can never be reached'],
    ['10.1.2.3', 'only the platform operator'],
    ['127.0.0.1', 'only the platform operator'],
  ])('%j is refused (%s)', (input, message) => {
    expect(refusalOf(() => parseAllowListEntry(input, false))).toContain(message);
  });

  it('may be a private address once the operator granted private egress, never a metadata one', () => {
    expect(parseAllowListEntry('10.1.2.3', true)).toBe('10.1.2.3');
    expect(refusalOf(() => parseAllowListEntry('169.254.169.254', true))).toContain('can never be reached');
  });
});

describe('the stored list', () => {
  it('adds, refuses duplicates, lists per workspace and removes, auditing each change', async () => {
    const added = await withWorkspace(a.workspace.id, (tx) => addAllowedHost(tx, ownerA, { pattern: 'Status.Example.com', note: 'status page' }));
    expect(added).toMatchObject({ pattern: 'status.example.com', note: 'status page' });
    await expect(withWorkspace(a.workspace.id, (tx) => addAllowedHost(tx, ownerA, { pattern: 'status.example.com.' }))).rejects.toBeInstanceOf(Conflict);
    expect(await withWorkspace(a.workspace.id, (tx) => allowListOfWorkspace(tx, a.workspace.id))).toContain('status.example.com');
    // B sees nothing of A's list, and A cannot remove an entry by B's id.
    expect(await withWorkspace(b.workspace.id, (tx) => allowListOfWorkspace(tx, a.workspace.id))).toEqual([]);
    const bEntry = (await withWorkspace(b.workspace.id, (tx) => allowedHostsOfWorkspace(tx, b.workspace.id)))[0]!;
    await expect(withWorkspace(a.workspace.id, (tx) => removeAllowedHost(tx, ownerA, bEntry.id))).rejects.toBeInstanceOf(NotFound);

    await withWorkspace(a.workspace.id, (tx) => removeAllowedHost(tx, ownerA, added.id));
    expect(await withWorkspace(a.workspace.id, (tx) => allowListOfWorkspace(tx, a.workspace.id))).not.toContain('status.example.com');
    const { rows } = await db.owner.query<{ action: string; target: string }>(
      `SELECT action, target FROM audit_events WHERE workspace_id = $1 AND action LIKE 'egress.host_%' ORDER BY created_at`,
      [a.workspace.id],
    );
    expect(rows.filter((r) => r.target === 'status.example.com').map((r) => r.action)).toEqual(['egress.host_allowed', 'egress.host_removed']);
  });

  it("gets a custom tool's host when the tool is saved, unless an entry already covers it", async () => {
    // The seeded tool (https://api.alpha.example/…) put its host on A's list.
    const seeded = await withWorkspace(a.workspace.id, (tx) => allowedHostsOfWorkspace(tx, a.workspace.id));
    expect(seeded).toContainEqual(expect.objectContaining({ pattern: 'api.alpha.example', note: 'Added with the tool order_lookup' }));

    await withWorkspace(a.workspace.id, (tx) => addAllowedHost(tx, ownerA, { pattern: '*.shipping.example' }));
    const tool = {
      name: 'track_parcel',
      description: 'Tracks a parcel.',
      parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      method: 'GET' as const,
      urlTemplate: 'https://track.shipping.example/parcels/{id}',
      authHeader: '',
      authSecretName: '',
      authPrefix: '',
      enabled: true,
    };
    const created = await withWorkspace(a.workspace.id, (tx) => createCustomTool(tx, ownerA, tool));
    expect(await withWorkspace(a.workspace.id, (tx) => allowListOfWorkspace(tx, a.workspace.id))).not.toContain('track.shipping.example');

    const { name: _name, ...definition } = tool;
    await withWorkspace(a.workspace.id, (tx) =>
      updateCustomTool(tx, ownerA, created.id, { ...definition, urlTemplate: 'https://Parcels.Example.net/{id}' }),
    );
    expect(await withWorkspace(a.workspace.id, (tx) => allowListOfWorkspace(tx, a.workspace.id))).toContain('parcels.example.net');

    const privateTool = withWorkspace(a.workspace.id, (tx) =>
      createCustomTool(tx, ownerA, { ...tool, name: 'internal_lookup', urlTemplate: 'http://10.0.0.5/items/{id}' }),
    );
    await expect(privateTool).rejects.toThrow(/host cannot be allowed.*only the platform operator/);
  });
});

describe('a run using http_request', () => {
  async function runWith(input: string, dns: Record<string, string[]>) {
    const egress = recordingEgress(dns, () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"green"}' }));
    const gateway = localModelGateway(model.url);
    const agent = await withWorkspace(a.workspace.id, (tx) =>
      createAgent(tx, ownerA, { ...NEW_AGENT_DEFAULTS, providerId: null, name: `Fetcher ${Math.random()}`, description: '', changeNote: '', tools: ['http_request'] }),
    );
    const run = await withWorkspace(a.workspace.id, (tx) => startRun(tx, ownerA, { agentId: agent.id, input }));
    const claimed = await claimNextRun('worker-egress', 5_000);
    expect(claimed?.id).toBe(run.id);
    await executeRun({ gateway, sandbox, egressAdapters: egress.adapters, workerId: 'worker-egress', leaseMs: 5_000 }, claimed!);
    const done = await withWorkspace(a.workspace.id, (tx) => runById(tx, a.workspace.id, run.id));
    return { done, tool: done.steps.find((s) => s.kind === 'tool')!, egress };
  }

  it('reaches a host on the list', async () => {
    await withWorkspace(a.workspace.id, (tx) => addAllowedHost(tx, ownerA, { pattern: 'status.open.example' }));
    const { done, tool, egress } = await runWith('use http_request with url "https://status.open.example/health" and method GET', {
      'status.open.example': ['93.184.215.14'],
    });
    expect(done.status).toBe('succeeded');
    expect(tool.status).toBe('ok');
    expect(JSON.stringify(tool.toolResult)).toContain('green');
    expect(egress.dialled.map((d) => d.url.host)).toEqual(['status.open.example']);
  });

  it('is refused a host that is not on the list, and the model reads which host and why', async () => {
    const { done, tool, egress } = await runWith('use http_request with url "https://elsewhere.example/secrets" and method GET', {
      'elsewhere.example': ['93.184.215.15'],
    });
    expect(done.status).toBe('succeeded');
    expect(tool.status).toBe('error');
    expect(tool.error).toBe("elsewhere.example is not on this workspace's egress allow-list; an admin can add it on the Tools page.");
    expect(egress.dialled).toEqual([]);
    expect(egress.lookedUp).toEqual([]);
  });

  it('is still refused a listed host that resolves to a private address, until the operator grants private egress', async () => {
    await withWorkspace(a.workspace.id, (tx) => addAllowedHost(tx, ownerA, { pattern: 'model.cluster.example' }));
    const dns = { 'model.cluster.example': ['10.0.0.7'] };
    const refused = await runWith('use http_request with url "http://model.cluster.example/v1/models" and method GET', dns);
    expect(refused.tool.status).toBe('error');
    expect(refused.tool.error).toContain('resolves to 10.0.0.7');
    expect(refused.egress.dialled).toEqual([]);

    await withWorkspace(a.workspace.id, (tx) => setPrivateEgress(tx, { workspaceId: a.workspace.id, allowed: true, operatorUserId: a.owner.id }));
    try {
      const granted = await runWith('use http_request with url "http://model.cluster.example/v1/models" and method GET', dns);
      expect(granted.tool.status).toBe('ok');
      expect(granted.egress.dialled.map((d) => d.address)).toEqual(['10.0.0.7']);
    } finally {
      await withWorkspace(a.workspace.id, (tx) => setPrivateEgress(tx, { workspaceId: a.workspace.id, allowed: false, operatorUserId: a.owner.id }));
    }
  });
});
