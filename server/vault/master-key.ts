// The master key that wraps every workspace's data key. It comes from
// ENCLAVE_MASTER_KEY; without one (embedded mode) it is generated once into the
// data directory (0600) with a warning. Earlier keys named in
// ENCLAVE_MASTER_KEY_PREVIOUS still unwrap, so the master key can be rotated.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { env, setRuntimeEnv } from '../env';
import { logger } from '../observability/logger';
import { KEY_BYTES } from './aes-gcm';

export type MasterKey = {
  /** A non-secret fingerprint stored beside each wrapped key: which master key wrapped it. */
  id: string;
  key: Buffer;
};

export type MasterKeyring = { current: MasterKey; byId: ReadonlyMap<string, MasterKey> };

export const MASTER_KEY_FILE = 'master-key';

/** Decodes 64 hex digits or base64 (either alphabet) into the 32-byte key. */
export function parseMasterKey(text: string): MasterKey {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES) throw new Error('A master key must be 32 bytes, as 64 hex digits or base64');
  // A keyed digest, so the stored id reveals nothing about the key beyond identity.
  const id = `mk_${createHmac('sha256', key).update('enclave master key id').digest('hex').slice(0, 16)}`;
  return { id, key };
}

/** Reads the generated key from the data directory, creating it first if absent (exclusive create: concurrent starters agree). */
function generatedMasterKeyText(): string {
  const dir = path.resolve(env().ENCLAVE_DATA_DIR);
  const file = path.join(dir, MASTER_KEY_FILE);
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(file, randomBytes(KEY_BYTES).toString('base64'), { mode: 0o600, flag: 'wx' });
    logger.warn(
      { file },
      'ENCLAVE_MASTER_KEY is not set: generated a master key for the secrets vault in the data directory. ' +
        'Set ENCLAVE_MASTER_KEY in production and keep a backup; without the key stored secrets cannot be read.',
    );
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * For the launcher, before serving: makes sure a master key exists (generating
 * one into the data directory when ENCLAVE_MASTER_KEY is unset, with a warning)
 * and puts it in the runtime environment for everything the process starts.
 */
export function ensureMasterKey(): MasterKey {
  const configured = env().ENCLAVE_MASTER_KEY;
  if (configured) return parseMasterKey(configured);
  const text = generatedMasterKeyText();
  setRuntimeEnv({ ENCLAVE_MASTER_KEY: text });
  return parseMasterKey(text);
}

let cached: { source: string; ring: MasterKeyring } | undefined;

/** The current master key and every previous one still accepted for unwrapping. */
export function masterKeyring(): MasterKeyring {
  const e = env();
  const currentText = e.ENCLAVE_MASTER_KEY ?? generatedMasterKeyText();
  const source = [currentText, ...e.ENCLAVE_MASTER_KEY_PREVIOUS].join(',');
  if (cached?.source === source) return cached.ring;
  const current = parseMasterKey(currentText);
  const byId = new Map<string, MasterKey>();
  for (const previous of e.ENCLAVE_MASTER_KEY_PREVIOUS) {
    const key = parseMasterKey(previous);
    byId.set(key.id, key);
  }
  byId.set(current.id, current);
  cached = { source, ring: { current, byId } };
  return cached.ring;
}
