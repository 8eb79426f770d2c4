// Picks the database: DATABASE_URL when set, otherwise the embedded PGlite
// cluster persisted under $ENCLAVE_DATA_DIR/pglite, served on a Unix socket in
// $ENCLAVE_DATA_DIR/run and described to other processes by the connection file.
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { env } from '../env';
import {
  connectionFilePath,
  findRunningEmbeddedDatabase,
  removeConnectionFile,
  writeConnectionFile,
} from '../db/embedded-connection-file';
import { embeddedDatabaseUrl, startEmbeddedPostgres } from '../db/embedded-postgres';

export type RunningDatabase = { url: string; embedded: boolean; stop: () => Promise<void> };

/** Starts the embedded database (unless DATABASE_URL is set); refuses when another process already serves this data directory. */
export async function startDatabase(): Promise<RunningDatabase> {
  const { DATABASE_URL, ENCLAVE_DATA_DIR } = env();
  if (DATABASE_URL) return { url: DATABASE_URL, embedded: false, stop: async () => {} };
  const dataDir = path.resolve(ENCLAVE_DATA_DIR);
  if (await findRunningEmbeddedDatabase(dataDir)) {
    throw new Error(
      `Another Enclave process already serves the embedded database in ${dataDir}; stop it first, or give this one its own ENCLAVE_DATA_DIR`,
    );
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chmod(dataDir, 0o700);
  const embedded = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, 'pglite'),
    socketDir: path.join(dataDir, 'run'),
  });
  await writeConnectionFile(dataDir, embedded.connection);
  return {
    url: embedded.url,
    embedded: true,
    async stop() {
      await removeConnectionFile(dataDir, embedded.connection);
      await embedded.stop();
    },
  };
}

export type DatabaseSettings = { databaseUrl: string | undefined; dataDir: string };

const configured = (): DatabaseSettings => ({ databaseUrl: env().DATABASE_URL, dataDir: env().ENCLAVE_DATA_DIR });

/**
 * The database another process (the app) is serving, for `npm run worker`:
 * DATABASE_URL when set, else the embedded database named by the connection
 * file in the data directory. Throws a message saying what to do when neither exists.
 */
export async function locateRunningDatabase(settings: DatabaseSettings = configured()): Promise<string> {
  if (settings.databaseUrl) return settings.databaseUrl;
  const connection = await findRunningEmbeddedDatabase(settings.dataDir);
  if (!connection) {
    throw new Error(
      `No database to connect to: DATABASE_URL is unset and no running embedded database was found ` +
        `(${connectionFilePath(settings.dataDir)} is missing or stale). Start the app first with \`npm start\`, ` +
        `using the same ENCLAVE_DATA_DIR, or set DATABASE_URL.`,
    );
  }
  return embeddedDatabaseUrl(connection);
}

/** For `npm run db:migrate`: the running app's database when there is one, else one started here (and stopped by the caller). */
export async function runningOrStartedDatabase(): Promise<RunningDatabase> {
  const { databaseUrl, dataDir } = configured();
  if (!databaseUrl) {
    const connection = await findRunningEmbeddedDatabase(dataDir);
    if (connection) return { url: embeddedDatabaseUrl(connection), embedded: true, stop: async () => {} };
  }
  return startDatabase();
}
