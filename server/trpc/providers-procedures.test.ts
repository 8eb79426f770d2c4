// The provider, routing and usage procedures as a client calls them: clean 4xx
// answers for bad input and refused egress, a connection test that goes through
// the gateway to a loopback model with the key from the vault and shows up in
// usage, and the key in no answer.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRuntimeEnv } from '../env';
import { startLocalModelServer, type LocalModelServer } from '../llm/local-model/local-model-server';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import { createContext } from './context';
import { createCaller } from './root';

let db: TestDatabase;
let a: SeededTenant;
let local: LocalModelServer;
let keyed: LocalModelServer;
let owner: ReturnType<typeof createCaller>;
let operator: ReturnType<typeof createCaller>;

const codeOf = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof TRPCError ? `${e.code}: ${e.message}` : String(e)));

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a } = await seedTwoWorkspaces());
  local = await startLocalModelServer({ port: 0 });
  keyed = await startLocalModelServer({ port: 0, apiKey: a.secretValue });
  setRuntimeEnv({ LOCAL_MODEL_PORT: String(local.port), LOCAL_MODEL_HOST: '127.0.0.1' });
  owner = createCaller(createContext(a.owner));
  const op = (await db.owner.query(`SELECT id, email, name FROM users WHERE is_operator LIMIT 1`)).rows[0];
  operator = createCaller(createContext({ id: op.id, email: op.email, name: op.name, isOperator: true }));
});
afterAll(async () => {
  await local?.stop();
  await keyed?.stop();
  await db?.stop();
});

describe('providers procedures', () => {
  const base = () => ({ workspaceId: a.workspace.id, name: 'cluster', kind: 'vllm' as const, models: ['enclave-local-chat'], apiKeySecretId: a.secret.id });

  it('answers bad input and refused egress with a 4xx and a reason', async () => {
    expect(await codeOf(owner.providers.create({ ...base(), baseUrl: 'ftp://example.com' }))).toMatch(/^BAD_REQUEST: The base URL must start with http/);
    expect(await codeOf(owner.providers.create({ ...base(), baseUrl: keyed.url }))).toMatch(/^FORBIDDEN: Refused: 127\.0\.0\.1 is a loopback address/);
    expect(await codeOf(owner.providers.create({ ...base(), name: 'local', baseUrl: keyed.url }))).toMatch(/^BAD_REQUEST: "local" is the built-in/);
    expect(await codeOf(owner.providers.create({ ...base(), baseUrl: keyed.url, timeoutMs: 5 }))).toMatch(/^BAD_REQUEST: [^]*timeoutMs[^]*Must be at least 1000/);
  });

  it('tests the built-in model and a vault-keyed provider once the operator allows private egress; both are metered', async () => {
    const viaLocal = await owner.providers.test({ workspaceId: a.workspace.id, providerId: 'local', prompt: 'Say hello' });
    expect(viaLocal).toMatchObject({ provider: 'local', model: 'enclave-local-chat' });
    expect(viaLocal.costUsd).toBeGreaterThan(0);

    expect(await codeOf(owner.providers.allowPrivateEgress({ workspaceId: a.workspace.id, allowed: true }))).toBe('NOT_FOUND: Not found');
    await operator.providers.allowPrivateEgress({ workspaceId: a.workspace.id, allowed: true });
    const created = await owner.providers.create({ ...base(), baseUrl: `${keyed.url}/` });
    expect(created).toMatchObject({ baseUrl: keyed.url, apiKeySecretName: a.secret.name });
    const viaProvider = await owner.providers.test({ workspaceId: a.workspace.id, providerId: created.id });
    expect(viaProvider).toMatchObject({ provider: 'cluster', model: 'enclave-local-chat' });

    await owner.routing.set({ workspaceId: a.workspace.id, taskType: 'utility', providerId: created.id, model: 'enclave-local-utility', fallbacks: [{ providerId: 'local', model: 'enclave-local-utility' }] });
    const routes = await owner.routing.get({ workspaceId: a.workspace.id });
    expect(routes.find((r) => r.taskType === 'utility')).toMatchObject({
      isDefault: false,
      chain: [
        { providerName: 'cluster', model: 'enclave-local-utility' },
        { providerId: 'local', model: 'enclave-local-utility' },
      ],
    });

    const usage = await owner.usage.summary({ workspaceId: a.workspace.id, period: '7d' });
    const models = usage.byModel.map((m) => `${m.provider}/${m.model}`);
    expect(models).toEqual(expect.arrayContaining(['local/enclave-local-chat', 'cluster/enclave-local-chat']));

    // Without its key the same server answers 401: a clean 4xx, and the key appears in no answer.
    const keyless = await owner.providers.update({ ...base(), providerId: created.id, baseUrl: keyed.url, apiKeySecretId: null });
    const refused = await codeOf(owner.providers.test({ workspaceId: a.workspace.id, providerId: keyless.id }));
    expect(refused).toMatch(/^BAD_REQUEST: cluster refused the API key \(401\)/);
    const answers = JSON.stringify([created, viaProvider, keyless, refused, await owner.providers.list({ workspaceId: a.workspace.id }), usage]);
    expect(answers).not.toContain(a.secretValue);
  });
});
