import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { env, setRuntimeEnv } from '../env';
import { ensureMasterKey, MASTER_KEY_FILE, masterKeyring, parseMasterKey } from './master-key';

const original = { key: env().ENCLAVE_MASTER_KEY ?? '', dataDir: env().ENCLAVE_DATA_DIR };

afterEach(() => {
  setRuntimeEnv({ ENCLAVE_MASTER_KEY: original.key, ENCLAVE_MASTER_KEY_PREVIOUS: '', ENCLAVE_DATA_DIR: original.dataDir });
});

describe('the master key', () => {
  it('reads 32 bytes from hex or base64 and names them by a stable, non-revealing id', () => {
    const bytes = randomBytes(32);
    const fromHex = parseMasterKey(bytes.toString('hex'));
    const fromBase64 = parseMasterKey(bytes.toString('base64'));
    const fromBase64Url = parseMasterKey(bytes.toString('base64url'));
    expect(fromHex.key.equals(bytes)).toBe(true);
    expect(fromBase64.key.equals(bytes)).toBe(true);
    expect(fromBase64Url.id).toBe(fromHex.id);
    expect(fromHex.id).toMatch(/^mk_[0-9a-f]{16}$/);
    expect(fromHex.id).not.toContain(bytes.toString('hex').slice(0, 16));
    expect(parseMasterKey(randomBytes(32).toString('hex')).id).not.toBe(fromHex.id);
  });

  it('refuses keys of the wrong length, in the parser and when the environment is read', () => {
    expect(() => parseMasterKey(randomBytes(16).toString('base64'))).toThrow('32 bytes');
    setRuntimeEnv({ ENCLAVE_MASTER_KEY: randomBytes(31).toString('hex') });
    expect(() => env()).toThrow('ENCLAVE_MASTER_KEY: must be 32 bytes');
  });

  it('keeps previous keys in the keyring for unwrapping, with the configured one current', () => {
    const current = randomBytes(32).toString('base64');
    const previous = [randomBytes(32).toString('hex'), randomBytes(32).toString('base64')];
    setRuntimeEnv({ ENCLAVE_MASTER_KEY: current, ENCLAVE_MASTER_KEY_PREVIOUS: previous.join(', ') });
    const ring = masterKeyring();
    expect(ring.current.id).toBe(parseMasterKey(current).id);
    expect([...ring.byId.keys()].sort()).toEqual([current, ...previous].map((k) => parseMasterKey(k).id).sort());
  });

  it('without ENCLAVE_MASTER_KEY, generates one into the data directory (0600) once and keeps using it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'enclave-master-key-'));
    try {
      setRuntimeEnv({ ENCLAVE_MASTER_KEY: '', ENCLAVE_DATA_DIR: dir });
      const first = ensureMasterKey();
      const file = path.join(dir, MASTER_KEY_FILE);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(parseMasterKey(await readFile(file, 'utf8')).id).toBe(first.id);
      // The launcher hands the key on to everything the process starts.
      expect(env().ENCLAVE_MASTER_KEY).toBeDefined();
      setRuntimeEnv({ ENCLAVE_MASTER_KEY: '' });
      expect(masterKeyring().current.id).toBe(first.id);
      expect(ensureMasterKey().id).toBe(first.id);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
