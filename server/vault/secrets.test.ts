// The vault against a real database: write-only management, decrypt with its
// audit trail, refusal of tampered or misplaced bytes and of the wrong master
// key, master-key rotation, crypto-shredding, and workspace boundaries.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Conflict, InvalidInput, NotFound } from '../domain-errors';
import { env, setRuntimeEnv } from '../env';
import { withoutTenant, withWorkspace } from '../db/with-workspace';
import { deleteWorkspace } from '../tenancy/workspaces';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import { IntegrityError, open } from './aes-gcm';
import { decryptSecret } from './decrypt-secret';
import { parseMasterKey } from './master-key';
import { createSecret, deleteSecret, replaceSecretValue, secretsOfWorkspace } from './secrets';
import { destroyWorkspaceKey, rewrapWorkspaceKey } from './workspace-keys';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
const testKey = env().ENCLAVE_MASTER_KEY!;

const ownerOf = (t: SeededTenant) => ({ userId: t.owner.id, workspaceId: t.workspace.id, role: 'owner' as const });
const fresh = (prefix: string) => `${prefix}_${randomBytes(4).toString('hex').toUpperCase()}`;

function decrypt(t: SeededTenant, name: string, extra: { runId?: string } = {}) {
  return withWorkspace(t.workspace.id, (tx) => decryptSecret(tx, { workspaceId: t.workspace.id, name, purpose: 'test call', ...extra }));
}

async function create(t: SeededTenant, name: string, value: string) {
  return withWorkspace(t.workspace.id, (tx) => createSecret(tx, ownerOf(t), { name, value }));
}

async function auditOf(t: SeededTenant, target: string) {
  const { rows } = await db.owner.query<{ action: string; actor_user_id: string | null; metadata: Record<string, unknown> }>(
    'SELECT action, actor_user_id, metadata FROM audit_events WHERE workspace_id = $1 AND target = $2 ORDER BY created_at, id',
    [t.workspace.id, target],
  );
  return rows;
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
});
afterAll(async () => db.stop());
afterEach(() => setRuntimeEnv({ ENCLAVE_MASTER_KEY: testKey, ENCLAVE_MASTER_KEY_PREVIOUS: '' }));

describe('managing secrets', () => {
  it('creates, lists without values, replaces and deletes, auditing each change by name', async () => {
    const name = fresh('GITHUB_TOKEN');
    const created = await create(a, name, 'ghp_first-value');
    expect(Object.keys(created).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'updatedAt']);
    expect(created.lastUsedAt).toBeNull();

    const listed = await withWorkspace(a.workspace.id, (tx) => secretsOfWorkspace(tx, a.workspace.id));
    expect(listed.map((s) => s.name)).toContain(name);
    expect(JSON.stringify(listed)).not.toContain('ghp_first-value');

    const replaced = await withWorkspace(a.workspace.id, (tx) => replaceSecretValue(tx, ownerOf(a), created.id, 'ghp_second-value'));
    expect(replaced.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
    expect(await decrypt(a, name)).toBe('ghp_second-value');

    await withWorkspace(a.workspace.id, (tx) => deleteSecret(tx, ownerOf(a), created.id));
    await expect(decrypt(a, name)).rejects.toThrow(NotFound);
    const trail = await auditOf(a, name);
    expect(trail.map((e) => e.action)).toEqual(['secret.created', 'secret.updated', 'secret.decrypted', 'secret.deleted']);
    expect(trail.every((e) => !JSON.stringify(e).includes('value'))).toBe(true);
  });

  it('refuses bad names, empty, oversized and NUL-bearing values, and duplicates', async () => {
    for (const name of ['lowercase', '1STARTS_WITH_DIGIT', 'HAS-DASH', '', 'A'.repeat(65)]) {
      await expect(create(a, name, 'v'), name).rejects.toThrow(InvalidInput);
    }
    for (const value of ['', 'a\0b', 'x'.repeat(8193), 'é'.repeat(4097)]) {
      await expect(create(a, fresh('BAD_VALUE'), value)).rejects.toThrow(InvalidInput);
    }
    await expect(create(a, fresh('MAX_SIZE'), 'x'.repeat(8192))).resolves.toBeTruthy();
    const name = fresh('DUPLICATE');
    await create(a, name, 'one');
    await expect(create(a, name, 'two')).rejects.toThrow(Conflict);
    expect(await decrypt(a, name)).toBe('one');
  });

  it('keeps ciphertext out of the app role\'s reach: selecting it is refused', async () => {
    await expect(
      withWorkspace(a.workspace.id, (tx) => tx.$queryRaw`SELECT ciphertext FROM secrets`),
    ).rejects.toThrow(/permission denied/);
    await expect(
      withWorkspace(a.workspace.id, (tx) => tx.secret.findMany({ where: { workspaceId: a.workspace.id } })),
    ).rejects.toThrow(/permission denied/);
  });
});

describe('decrypting', () => {
  it('returns the value, stamps last use and audits name, purpose and run — never the value', async () => {
    const name = fresh('OPENAI_API_KEY');
    await create(a, name, 'sk-decrypt-me');
    const runId = randomUUID();
    expect(await decrypt(a, name, { runId })).toBe('sk-decrypt-me');
    const [listed] = (await withWorkspace(a.workspace.id, (tx) => secretsOfWorkspace(tx, a.workspace.id))).filter((s) => s.name === name);
    expect(listed!.lastUsedAt).toBeInstanceOf(Date);
    const decrypts = (await auditOf(a, name)).filter((e) => e.action === 'secret.decrypted');
    expect(decrypts).toEqual([{ action: 'secret.decrypted', actor_user_id: null, metadata: { name, purpose: 'test call', runId } }]);
  });

  it('asks for a purpose', async () => {
    await expect(
      withWorkspace(a.workspace.id, (tx) => decryptSecret(tx, { workspaceId: a.workspace.id, name: a.secret.name, purpose: '  ' })),
    ).rejects.toThrow(InvalidInput);
  });

  it('refuses a tampered ciphertext, tag or IV, and ciphertext moved onto another secret', async () => {
    const name = fresh('TAMPERED');
    const other = fresh('DONOR');
    await create(a, name, 'original');
    await create(a, other, 'donor-value');
    const column = async (col: 'ciphertext' | 'tag' | 'iv') => {
      await db.owner.query(
        `UPDATE secrets SET ${col} = set_byte(${col}, 0, get_byte(${col}, 0) # 1) WHERE workspace_id = $1 AND name = $2`,
        [a.workspace.id, name],
      );
      await expect(decrypt(a, name), col).rejects.toThrow(IntegrityError);
      await db.owner.query(
        `UPDATE secrets SET ${col} = set_byte(${col}, 0, get_byte(${col}, 0) # 1) WHERE workspace_id = $1 AND name = $2`,
        [a.workspace.id, name],
      );
      expect(await decrypt(a, name)).toBe('original');
    };
    await column('ciphertext');
    await column('tag');
    await column('iv');
    await db.owner.query(
      `UPDATE secrets s SET ciphertext = d.ciphertext, iv = d.iv, tag = d.tag
       FROM secrets d WHERE s.workspace_id = $1 AND s.name = $2 AND d.workspace_id = $1 AND d.name = $3`,
      [a.workspace.id, name, other],
    );
    await expect(decrypt(a, name)).rejects.toThrow('failed its integrity check');
  });

  it('refuses a tampered wrapped data key, and another workspace\'s wrapped key', async () => {
    const keyOf = async (t: SeededTenant) =>
      (await db.owner.query('SELECT wrapped_key, iv, tag FROM workspace_keys WHERE workspace_id = $1', [t.workspace.id])).rows[0];
    const saved = await keyOf(a);
    await db.owner.query(`UPDATE workspace_keys SET wrapped_key = set_byte(wrapped_key, 3, get_byte(wrapped_key, 3) # 128) WHERE workspace_id = $1`, [a.workspace.id]);
    await expect(decrypt(a, a.secret.name)).rejects.toThrow('The workspace data key failed its integrity check');
    const bKey = await keyOf(b);
    await db.owner.query('UPDATE workspace_keys SET wrapped_key = $2, iv = $3, tag = $4 WHERE workspace_id = $1', [a.workspace.id, bKey.wrapped_key, bKey.iv, bKey.tag]);
    await expect(decrypt(a, a.secret.name)).rejects.toThrow(IntegrityError);
    await db.owner.query('UPDATE workspace_keys SET wrapped_key = $2, iv = $3, tag = $4 WHERE workspace_id = $1', [a.workspace.id, saved.wrapped_key, saved.iv, saved.tag]);
    expect(await decrypt(a, a.secret.name)).toBe(a.secretValue);
  });

  it('refuses to open anything under another master key', async () => {
    setRuntimeEnv({ ENCLAVE_MASTER_KEY: randomBytes(32).toString('base64') });
    await expect(decrypt(a, a.secret.name)).rejects.toThrow(/wrapped by master key mk_[0-9a-f]+, which is not configured/);
    await expect(create(a, fresh('UNDER_WRONG_KEY'), 'v')).rejects.toThrow(/not configured/);
    // Even posing as the right key id, a different key fails authentication.
    const { rows } = await db.owner.query('SELECT wrapped_key, iv, tag, id FROM workspace_keys WHERE workspace_id = $1', [a.workspace.id]);
    const row = rows[0];
    expect(() =>
      open(randomBytes(32), { ciphertext: row.wrapped_key, iv: row.iv, tag: row.tag }, `enclave:data-key:v1:${a.workspace.id}:${row.id}`, 'key'),
    ).toThrow(IntegrityError);
  });

  it('rotates the master key: previous keys still open data keys, which are rewrapped under the new one', async () => {
    const oldKey = parseMasterKey(testKey);
    const newKey = randomBytes(32).toString('hex');
    const newId = parseMasterKey(newKey).id;
    const wrappedBy = async (t: SeededTenant) =>
      (await db.owner.query('SELECT master_key_id FROM workspace_keys WHERE workspace_id = $1', [t.workspace.id])).rows[0].master_key_id;

    setRuntimeEnv({ ENCLAVE_MASTER_KEY: newKey, ENCLAVE_MASTER_KEY_PREVIOUS: testKey });
    expect(await decrypt(a, a.secret.name)).toBe(a.secretValue);
    expect(await wrappedBy(a)).toBe(newId);
    expect(await withWorkspace(b.workspace.id, (tx) => rewrapWorkspaceKey(tx, b.workspace.id))).toBe(true);
    expect(await withWorkspace(b.workspace.id, (tx) => rewrapWorkspaceKey(tx, b.workspace.id))).toBe(false);

    // The old key retired: everything still opens.
    setRuntimeEnv({ ENCLAVE_MASTER_KEY: newKey, ENCLAVE_MASTER_KEY_PREVIOUS: '' });
    expect(await decrypt(a, a.secret.name)).toBe(a.secretValue);
    expect(await decrypt(b, b.secret.name)).toBe(b.secretValue);

    // And back, so the other tests keep the suite's key.
    setRuntimeEnv({ ENCLAVE_MASTER_KEY: testKey, ENCLAVE_MASTER_KEY_PREVIOUS: newKey });
    for (const t of [a, b]) await withWorkspace(t.workspace.id, (tx) => rewrapWorkspaceKey(tx, t.workspace.id));
    expect(await wrappedBy(a)).toBe(oldKey.id);
    expect(await wrappedBy(b)).toBe(oldKey.id);
  });
});

describe('workspace boundaries', () => {
  it('never decrypts, replaces or deletes another workspace\'s secret, nor lists it', async () => {
    // A's transaction asking for B's workspace finds nothing, as for a missing secret.
    await expect(
      withWorkspace(a.workspace.id, (tx) => decryptSecret(tx, { workspaceId: b.workspace.id, name: b.secret.name, purpose: 'probe' })),
    ).rejects.toThrow(NotFound);
    await expect(withWorkspace(a.workspace.id, (tx) => replaceSecretValue(tx, ownerOf(a), b.secret.id, 'hijack'))).rejects.toThrow(NotFound);
    await expect(withWorkspace(a.workspace.id, (tx) => deleteSecret(tx, ownerOf(a), b.secret.id))).rejects.toThrow(NotFound);
    // Even an actor claiming B, inside A's transaction, sees none of B's rows.
    await expect(withWorkspace(a.workspace.id, (tx) => deleteSecret(tx, ownerOf(b), b.secret.id))).rejects.toThrow(NotFound);
    const listedFromA = await withWorkspace(a.workspace.id, (tx) => secretsOfWorkspace(tx, b.workspace.id));
    expect(listedFromA).toEqual([]);
    expect(await decrypt(b, b.secret.name)).toBe(b.secretValue);
  });

  it("gives the ciphertext read path only the transaction's own workspace, and nothing without one", async () => {
    // Both workspaces hold a PROVIDER_API_KEY; the owner-run function must pick A's in A's transaction.
    const inA = await withWorkspace(a.workspace.id, (tx) =>
      tx.$queryRaw<{ secret_id: string }[]>`SELECT secret_id FROM secret_material(${a.secret.name})`,
    );
    expect(inA).toEqual([{ secret_id: a.secret.id }]);
    const outside = await withoutTenant((tx) => tx.$queryRaw<unknown[]>`SELECT secret_id FROM secret_material(${a.secret.name})`);
    expect(outside).toEqual([]);
  });

  it('keeps same-named secrets apart: each workspace decrypts its own value', async () => {
    const name = fresh('SHARED_NAME');
    await create(a, name, 'value-of-a');
    await create(b, name, 'value-of-b');
    expect(await decrypt(a, name)).toBe('value-of-a');
    expect(await decrypt(b, name)).toBe('value-of-b');
    // B's ciphertext copied into A's row (same name) does not open under A's key and context.
    await db.owner.query(
      `UPDATE secrets s SET ciphertext = d.ciphertext, iv = d.iv, tag = d.tag
       FROM secrets d WHERE s.workspace_id = $1 AND s.name = $3 AND d.workspace_id = $2 AND d.name = $3`,
      [a.workspace.id, b.workspace.id, name],
    );
    await expect(decrypt(a, name)).rejects.toThrow(IntegrityError);
  });
});

describe('destroying the data key', () => {
  it('leaves the ciphertexts undecryptable, with the destruction audited', async () => {
    const { rows: before } = await db.owner.query(
      `SELECT s.name, s.ciphertext, s.iv, s.tag, k.id AS key_id, k.wrapped_key, k.iv AS key_iv, k.tag AS key_tag
       FROM secrets s JOIN workspace_keys k ON k.id = s.key_id WHERE s.workspace_id = $1`,
      [b.workspace.id],
    );
    expect(before.length).toBeGreaterThan(0);
    const destroyed = await withWorkspace(b.workspace.id, (tx) => destroyWorkspaceKey(tx, { workspaceId: b.workspace.id, userId: b.owner.id }));
    expect(destroyed).toBe(before.length);
    const left = await db.owner.query('SELECT count(*)::int AS n FROM workspace_keys WHERE workspace_id = $1', [b.workspace.id]);
    expect(left.rows[0].n).toBe(0);
    await expect(decrypt(b, b.secret.name)).rejects.toThrow(NotFound);

    // Put the old ciphertexts back under a new data key: none of them opens.
    const replacement = await create(b, fresh('AFTER_SHRED'), 'new value');
    const { rows: keyRows } = await db.owner.query('SELECT id FROM workspace_keys WHERE workspace_id = $1', [b.workspace.id]);
    expect(keyRows[0].id).not.toBe(before[0].key_id);
    for (const old of before) {
      await db.owner.query(
        'INSERT INTO secrets (workspace_id, key_id, name, ciphertext, iv, tag) VALUES ($1, $2, $3, $4, $5, $6)',
        [b.workspace.id, keyRows[0].id, old.name, old.ciphertext, old.iv, old.tag],
      );
      await expect(decrypt(b, old.name)).rejects.toThrow(IntegrityError);
    }
    expect(await decrypt(b, replacement.name)).toBe('new value');
    const { rows: audit } = await db.owner.query(
      `SELECT metadata FROM audit_events WHERE workspace_id = $1 AND action = 'vault.key_destroyed'`,
      [b.workspace.id],
    );
    expect(audit).toEqual([{ metadata: { secretsDestroyed: before.length } }]);
  });

  it('goes with the workspace when it is deleted', async () => {
    await withWorkspace(a.workspace.id, (tx) => deleteWorkspace(tx, { userId: a.owner.id, workspaceId: a.workspace.id }, a.workspace.slug));
    const { rows } = await db.owner.query(
      `SELECT (SELECT count(*) FROM workspace_keys WHERE workspace_id = $1)::int AS keys,
              (SELECT count(*) FROM secrets WHERE workspace_id = $1)::int AS secrets`,
      [a.workspace.id],
    );
    expect(rows[0]).toEqual({ keys: 0, secrets: 0 });
  });
});
