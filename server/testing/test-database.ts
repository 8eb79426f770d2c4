// A fresh, migrated embedded database for one test file: in-memory PGlite with
// pgvector behind a loopback socket, wired into the app's env so domain code
// under test uses it exactly as the running app would. Never a mock.
import type pg from 'pg';
import { setRuntimeEnv } from '../env';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { migrate } from '../db/migrator';
import { createOwnerPool } from '../db/owner-pool';
import { disconnectPrisma } from '../db/prisma';

export type TestDatabase = {
  url: string;
  /** Owner connection, outside any tenant context: for assertions and catalog reads. */
  owner: pg.Pool;
  stop: () => Promise<void>;
};

export async function createTestDatabase(): Promise<TestDatabase> {
  const embedded = await startEmbeddedPostgres({});
  const owner = createOwnerPool(embedded.url);
  await migrate(owner);
  setRuntimeEnv({ DATABASE_URL: embedded.url });
  return {
    url: embedded.url,
    owner,
    async stop() {
      await disconnectPrisma();
      await owner.end();
      await embedded.stop();
    },
  };
}
