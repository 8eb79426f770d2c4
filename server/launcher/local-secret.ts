// A session-signing secret for installs that did not configure NEXTAUTH_SECRET:
// generated once and kept (mode 0600) in the data directory, so sessions survive restarts.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { env } from '../env';

export async function sessionSecret(): Promise<string> {
  const configured = env().NEXTAUTH_SECRET;
  if (configured) return configured;
  const dir = path.resolve(env().ENCLAVE_DATA_DIR);
  const file = path.join(dir, 'session-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    await mkdir(dir, { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}
