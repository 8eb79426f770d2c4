// How processes find the database: the app starts the embedded one and
// describes it in a 0600 connection file; the worker and the migrator find it
// there (or DATABASE_URL), and say clearly what to do when nothing runs.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRuntimeEnv } from '../env';
import { connectionFilePath, readConnectionFile } from '../db/embedded-connection-file';
import { locateRunningDatabase, runningOrStartedDatabase, startDatabase, type RunningDatabase } from './database';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'enclave-launcher-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function currentUser(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ user: string }>('SELECT current_user AS user')).rows[0]!.user;
  } finally {
    await client.end();
  }
}

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

describe('the running embedded database', () => {
  const dataDir = () => path.join(root, 'data');
  let app: RunningDatabase;

  beforeAll(async () => {
    setRuntimeEnv({ DATABASE_URL: '', ENCLAVE_DATA_DIR: dataDir() });
    app = await startDatabase();
  });
  afterAll(async () => {
    await app.stop();
  });

  it('is described by a 0600 connection file in a 0700 data directory, its socket in a 0700 run directory', async () => {
    expect(await modeOf(dataDir())).toBe(0o700);
    expect(await modeOf(connectionFilePath(dataDir()))).toBe(0o600);
    const connection = await readConnectionFile(dataDir());
    expect(connection).toMatchObject({ socketDir: path.join(dataDir(), 'run'), port: 5432, user: 'enclave' });
    expect(connection!.secret.length).toBeGreaterThanOrEqual(43); // 32 random bytes
    expect(await modeOf(connection!.socketDir)).toBe(0o700);
  });

  it('is found by the worker through the connection file, and answers through the gate', async () => {
    const url = await locateRunningDatabase({ databaseUrl: undefined, dataDir: dataDir() });
    expect(url).toBe(app.url);
    expect(await currentUser(url)).toBe('postgres');
  });

  it('is used by the migrator instead of starting a second copy', async () => {
    const database = await runningOrStartedDatabase();
    expect(database.url).toBe(app.url);
    await database.stop(); // not the app's to stop
    expect(await currentUser(app.url)).toBe('postgres');
  });

  it('cannot be started twice on one data directory', async () => {
    await expect(startDatabase()).rejects.toThrow(/already serves the embedded database/);
  });
});

describe('finding the database', () => {
  it('prefers DATABASE_URL', async () => {
    const url = 'postgres://enclave:secret@db.internal:5432/enclave';
    expect(await locateRunningDatabase({ databaseUrl: url, dataDir: path.join(root, 'none') })).toBe(url);
  });

  it('says to start the app when there is no connection file', async () => {
    await expect(locateRunningDatabase({ databaseUrl: undefined, dataDir: path.join(root, 'none') })).rejects.toThrow(
      /no running embedded database was found .*npm start/,
    );
  });

  it('treats a connection file whose socket nobody serves as no database', async () => {
    const dataDir = path.join(root, 'stale');
    setRuntimeEnv({ DATABASE_URL: '', ENCLAVE_DATA_DIR: dataDir });
    const gone = await startDatabase();
    const connection = await readConnectionFile(dataDir);
    await gone.stop();
    await writeFile(connectionFilePath(dataDir), JSON.stringify(connection), { mode: 0o600 });
    await expect(locateRunningDatabase({ databaseUrl: undefined, dataDir })).rejects.toThrow(/missing or stale/);
  });

  it('puts the socket in a fresh 0700 temporary directory when the data directory path is too long for one', async () => {
    const dataDir = path.join(root, 'a-data-directory-whose-path-is-far-too-long-for-a-unix-socket'.repeat(2));
    setRuntimeEnv({ DATABASE_URL: '', ENCLAVE_DATA_DIR: dataDir });
    const app = await startDatabase();
    try {
      const connection = (await readConnectionFile(dataDir))!;
      expect(connection.socketDir.startsWith(tmpdir())).toBe(true);
      expect(await modeOf(connection.socketDir)).toBe(0o700);
      const url = await locateRunningDatabase({ databaseUrl: undefined, dataDir });
      expect(await currentUser(url)).toBe('postgres');
    } finally {
      await app.stop();
    }
    await expect(stat(connectionFilePath(dataDir))).rejects.toThrow(/ENOENT/);
  });
});
