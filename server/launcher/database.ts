// Picks the database at start-up: DATABASE_URL when set, otherwise the embedded
// PGlite cluster persisted under $ENCLAVE_DATA_DIR/pglite.
import path from 'node:path';
import { env } from '../env';
import { startEmbeddedPostgres } from '../db/embedded-postgres';

export type RunningDatabase = { url: string; embedded: boolean; stop: () => Promise<void> };

export async function startDatabase(): Promise<RunningDatabase> {
  const { DATABASE_URL, ENCLAVE_DATA_DIR } = env();
  if (DATABASE_URL) return { url: DATABASE_URL, embedded: false, stop: async () => {} };
  const embedded = await startEmbeddedPostgres({ dataDir: path.resolve(ENCLAVE_DATA_DIR, 'pglite') });
  return { url: embedded.url, embedded: true, stop: embedded.stop };
}
