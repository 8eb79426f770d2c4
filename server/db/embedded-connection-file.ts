// The connection file ($ENCLAVE_DATA_DIR/embedded-db.json, mode 0600): how the
// worker and the migrator find and authenticate to the embedded database that
// a running app serves. Written when the database starts, removed when it stops.
import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { socketAnswers, socketPath, type EmbeddedConnection } from './embedded-postgres';

export const CONNECTION_FILE = 'embedded-db.json';

const connectionSchema = z.object({
  socketDir: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1),
  secret: z.string().min(32),
});

export function connectionFilePath(dataDir: string): string {
  return path.join(path.resolve(dataDir), CONNECTION_FILE);
}

export async function writeConnectionFile(dataDir: string, connection: EmbeddedConnection): Promise<void> {
  const file = connectionFilePath(dataDir);
  // A new file is created 0600 and renamed into place, so the secret is never
  // readable by others, not even for a moment or through an older file's mode.
  const draft = `${file}.${randomBytes(6).toString('hex')}`;
  await writeFile(draft, JSON.stringify(connection), { mode: 0o600, flag: 'wx' });
  await chmod(draft, 0o600);
  await rename(draft, file);
}

export async function readConnectionFile(dataDir: string): Promise<EmbeddedConnection | null> {
  const file = connectionFilePath(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const connection = connectionSchema.safeParse(parsed);
  if (!connection.success) throw new Error(`${file} is not a valid connection file; remove it and restart the app`);
  return connection.data;
}

/** Removes the file only while it still describes this connection (a newer process may have replaced it). */
export async function removeConnectionFile(dataDir: string, connection: EmbeddedConnection): Promise<void> {
  const current = await readConnectionFile(dataDir).catch(() => null);
  if (current?.secret === connection.secret) await rm(connectionFilePath(dataDir), { force: true });
}

/** The embedded database a running process serves for this data directory, or null (no file, or a stale one). */
export async function findRunningEmbeddedDatabase(dataDir: string): Promise<EmbeddedConnection | null> {
  const connection = await readConnectionFile(dataDir);
  if (!connection) return null;
  return (await socketAnswers(socketPath(connection))) ? connection : null;
}
