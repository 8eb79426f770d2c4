// Starts PGlite (PostgreSQL compiled to WASM) with pgvector and serves it over
// the Postgres wire protocol on a Unix socket in a 0700 directory, behind a gate
// that demands a fresh random secret: no TCP port, and no way in for a process
// that was not handed the secret. The app reaches it through the same pg +
// Prisma adapter path as a real server.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { env } from '../env';
import { openGate } from './embedded-gate';

/** Names the socket file (.s.PGSQL.<port>), as PostgreSQL does; nothing listens on TCP. */
export const EMBEDDED_PORT = 5432;
export const EMBEDDED_USER = 'enclave';
/** Unix socket paths are limited to 108 bytes on Linux and 104 on macOS, NUL included. */
const MAX_SOCKET_PATH_BYTES = 103;

/** Everything a process needs to reach the embedded database through its gate. */
export type EmbeddedConnection = { socketDir: string; port: number; user: string; secret: string };

export type EmbeddedPostgres = {
  /** Carries the secret: never log it. */
  url: string;
  connection: EmbeddedConnection;
  stop: () => Promise<void>;
};

export function socketPath(connection: Pick<EmbeddedConnection, 'socketDir' | 'port'>): string {
  return path.join(connection.socketDir, `.s.PGSQL.${connection.port}`);
}

/** node-postgres reads a Unix socket directory from `host` and looks for `.s.PGSQL.<port>` in it. */
export function embeddedDatabaseUrl(connection: EmbeddedConnection): string {
  const user = encodeURIComponent(connection.user);
  const secret = encodeURIComponent(connection.secret);
  return `postgres://${user}:${secret}@localhost:${connection.port}/postgres?host=${encodeURIComponent(connection.socketDir)}`;
}

/** True when something accepts connections on the socket (a running gate), false when nothing does. */
export async function socketAnswers(file: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(file);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/** The preferred directory, made 0700; or, when its socket path would be too long, a fresh 0700 temporary one. */
async function prepareSocketDir(preferred: string | undefined): Promise<{ dir: string; temporary: boolean }> {
  if (preferred && Buffer.byteLength(socketPath({ socketDir: preferred, port: EMBEDDED_PORT })) <= MAX_SOCKET_PATH_BYTES) {
    await mkdir(preferred, { recursive: true, mode: 0o700 });
    await chmod(preferred, 0o700);
    return { dir: preferred, temporary: false };
  }
  // mkdtemp creates the directory with mode 0700.
  return { dir: await mkdtemp(path.join(tmpdir(), 'enclave-db-')), temporary: true };
}

/**
 * @param dataDir where to persist the cluster; undefined keeps it in memory
 *   (tests: a fresh database per test file).
 * @param socketDir where to put the socket; undefined, or a path too long for a
 *   socket, gets a fresh temporary directory, removed again by stop().
 * @param idleInTransactionMs defaults to ENCLAVE_IDLE_IN_TRANSACTION_TIMEOUT_MS.
 * @param sharedBuffers defaults to EMBEDDED_SHARED_BUFFERS; PGlite commits the
 *   whole pool at start, so tests, which hold little data, ask for less.
 */
export async function startEmbeddedPostgres(options: {
  dataDir?: string;
  socketDir?: string;
  idleInTransactionMs?: number;
  sharedBuffers?: string;
}): Promise<EmbeddedPostgres> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const socket = await prepareSocketDir(options.socketDir);
  const connection: EmbeddedConnection = {
    socketDir: socket.dir,
    port: EMBEDDED_PORT,
    user: EMBEDDED_USER,
    secret: randomBytes(32).toString('base64url'),
  };
  const file = socketPath(connection);
  if (await socketAnswers(file)) throw new Error(`Another process already serves a database on ${file}`);
  await rm(file, { force: true }); // left behind by a process that did not stop cleanly

  const db = await PGlite.create({
    dataDir: options.dataDir,
    extensions: { vector },
    // Over PGlite's own defaults (single-user mode, no parallel workers): a buffer
    // cache that holds the knowledge table and its HNSW index, and room for index builds.
    startParams: [
      ...PGlite.defaultStartParams,
      ...['-c', `shared_buffers=${options.sharedBuffers ?? env().EMBEDDED_SHARED_BUFFERS}`],
      ...['-c', `maintenance_work_mem=${env().EMBEDDED_MAINTENANCE_WORK_MEM}`],
    ],
  });
  try {
    const gate = await openGate({
      db,
      socketPath: file,
      user: connection.user,
      secret: connection.secret,
      idleInTransactionMs: options.idleInTransactionMs ?? env().ENCLAVE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    });
    await chmod(file, 0o600);
    return {
      url: embeddedDatabaseUrl(connection),
      connection,
      async stop() {
        await gate.close();
        await db.close();
        await rm(socket.temporary ? socket.dir : file, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
