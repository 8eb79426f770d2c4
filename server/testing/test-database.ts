// A fresh, migrated database for one test file, wired into the app's env so
// domain code under test uses it exactly as the running app would. Never a mock.
// By default an in-memory PGlite with pgvector behind the same gate as the app's
// (a Unix socket in a fresh 0700 directory, a random secret); with
// ENCLAVE_TEST_DATABASE_URL, a new database on that PostgreSQL server, dropped
// when the file is done — so the same suites prove the real-server path too.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { env, setRuntimeEnv } from '../env';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { migrate } from '../db/migrator';
import { createOwnerPool } from '../db/owner-pool';
import { disconnectPrisma } from '../db/prisma';
import { APP_ROLE } from '../db/with-workspace';

export type TestDatabase = {
  url: string;
  /** Owner connection, outside any tenant context: for assertions and catalog reads. */
  owner: pg.Pool;
  stop: () => Promise<void>;
};

type Database = { url: string; drop: () => Promise<void> };

/** PGlite's own default: a test file's data fits many times over, and each file has its own database. */
const TEST_SHARED_BUFFERS = '128MB';

async function embeddedDatabase(): Promise<Database> {
  const embedded = await startEmbeddedPostgres({ sharedBuffers: TEST_SHARED_BUFFERS });
  return { url: embedded.url, drop: () => embedded.stop() };
}

/** Errors that mean another test file created the app role first. */
const ROLE_ALREADY_CREATED = new Set(['42710', '23505']);

async function serverDatabase(serverUrl: string): Promise<Database> {
  const name = `enclave_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    // The app role is cluster-wide; test files start in parallel, so create it
    // here, tolerating a concurrent creation, before any migration needs it.
    await admin.query(`CREATE ROLE ${APP_ROLE} NOLOGIN NOBYPASSRLS`).catch((error: { code?: string }) => {
      if (!ROLE_ALREADY_CREATED.has(error.code ?? '')) throw error;
    });
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = env().ENCLAVE_TEST_DATABASE_URL;
  const database = serverUrl ? await serverDatabase(serverUrl) : await embeddedDatabase();
  const owner = createOwnerPool(database.url);
  await migrate(owner);
  setRuntimeEnv({ DATABASE_URL: database.url });
  return {
    url: database.url,
    owner,
    async stop() {
      await disconnectPrisma();
      await owner.end();
      await database.drop();
    },
  };
}
