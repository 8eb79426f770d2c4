// The embedded database's gate: only a client with the user and secret gets a
// statement run, the socket is reachable only through a 0700 directory and no
// TCP port, and a client idle inside a transaction is cut and rolled back so
// the others proceed.
import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { embeddedDatabaseUrl, socketPath, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { createOwnerPool } from './owner-pool';
import { PROTOCOL_3 } from './postgres-wire';

const IDLE_LIMIT_MS = 1_500;

let embedded: EmbeddedPostgres;
let owner: pg.Pool;

beforeAll(async () => {
  embedded = await startEmbeddedPostgres({ idleInTransactionMs: IDLE_LIMIT_MS });
  owner = createOwnerPool(embedded.url);
  owner.on('error', () => {});
  await owner.query('CREATE TABLE gate_marker (n int)');
});
afterAll(async () => {
  await owner.end();
  await embedded.stop();
});
beforeEach(async () => {
  await owner.query('DELETE FROM gate_marker');
});

const markers = async () => (await owner.query<{ n: number }>('SELECT n FROM gate_marker ORDER BY n')).rows.map((r) => r.n);

function urlWith(change: (url: URL) => void): string {
  const url = new URL(embedded.url);
  change(url);
  return url.toString();
}

async function refusal(connectionString: string): Promise<{ code?: string }> {
  const client = new pg.Client({ connectionString });
  client.on('error', () => {});
  const error = await client.connect().then(
    () => null,
    (e: { code?: string }) => e,
  );
  // Whatever connect() said, a statement must not run.
  await client.query('INSERT INTO gate_marker VALUES (1)').catch(() => {});
  await client.end().catch(() => {});
  return error ?? {};
}

/** A hand-written client, to send what a well-behaved driver would not. */
function rawClient(): Promise<{ socket: Socket; received: () => Buffer; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath(embedded.connection));
    let data = Buffer.alloc(0);
    socket.on('data', (chunk) => (data = Buffer.concat([data, chunk])));
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    socket.once('error', reject);
    socket.once('connect', () => resolve({ socket, received: () => data, closed }));
  });
}

function startupPacket(parameters: Record<string, string>): Buffer {
  const body = Buffer.from(`${Object.entries(parameters).flatMap(([k, v]) => [k, v]).join('\0')}\0\0`);
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(PROTOCOL_3, 4);
  return Buffer.concat([head, body]);
}

function typed(type: string, text: string): Buffer {
  const body = Buffer.from(`${text}\0`);
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/** The typed messages in a server's reply: [type, body]. */
function messages(data: Buffer): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [];
  for (let at = 0; at + 5 <= data.length; ) {
    const length = data.readInt32BE(at + 1);
    out.push([String.fromCharCode(data[at]!), data.subarray(at + 5, at + 1 + length)]);
    at += 1 + length;
  }
  return out;
}

const errorCode = (body: Buffer) =>
  body
    .toString('utf8')
    .split('\0')
    .find((field) => field.startsWith('C'))
    ?.slice(1);

describe('embedded database gate: authentication', () => {
  it('refuses a client without a password with 28P01 before any statement runs', async () => {
    expect((await refusal(urlWith((u) => (u.password = '')))).code).toBe('28P01');
    expect(await markers()).toEqual([]);
  });

  it('refuses a wrong password with 28P01 before any statement runs', async () => {
    expect((await refusal(urlWith((u) => (u.password = 'not-the-secret')))).code).toBe('28P01');
    expect(await markers()).toEqual([]);
  });

  it('refuses a wrong user with 28P01 even with the right secret', async () => {
    expect((await refusal(urlWith((u) => (u.username = 'postgres')))).code).toBe('28P01');
    expect(await markers()).toEqual([]);
  });

  it('never runs statements a client pipelines behind a wrong password, and closes the connection', async () => {
    const client = await rawClient();
    client.socket.write(
      Buffer.concat([
        startupPacket({ user: 'enclave', database: 'postgres' }),
        typed('p', 'guess'),
        typed('Q', 'INSERT INTO gate_marker VALUES (2)'),
      ]),
    );
    await client.closed;
    const replies = messages(client.received());
    expect(replies.map(([type]) => type)).toEqual(['R', 'E']);
    expect(errorCode(replies[1]![1])).toBe('28P01');
    expect(await markers()).toEqual([]);
  });

  it('declines encryption with N, then authenticates as usual', async () => {
    const client = await rawClient();
    const sslRequest = Buffer.alloc(8);
    sslRequest.writeInt32BE(8, 0);
    sslRequest.writeInt32BE(80877103, 4);
    client.socket.write(sslRequest);
    await expect.poll(() => client.received().toString('latin1')).toBe('N');
    client.socket.write(Buffer.concat([startupPacket({ user: 'enclave' }), typed('p', embedded.connection.secret)]));
    await expect.poll(() => messages(client.received().subarray(1)).some(([type]) => type === 'Z')).toBe(true);
    client.socket.end();
    await client.closed;
  });

  it('closes a cancel request without touching the database', async () => {
    const client = await rawClient();
    const cancel = Buffer.alloc(16);
    cancel.writeInt32BE(16, 0);
    cancel.writeInt32BE(80877102, 4);
    client.socket.write(cancel);
    await client.closed;
    expect(client.received().length).toBe(0);
  });

  it('lets a client with the user and secret run statements', async () => {
    const client = new pg.Client({ connectionString: embeddedDatabaseUrl(embedded.connection) });
    await client.connect();
    await client.query('INSERT INTO gate_marker VALUES (3)');
    await client.end();
    expect(await markers()).toEqual([3]);
  });
});

/** Inodes of the sockets this process holds open. */
async function ownSocketInodes(): Promise<Set<string>> {
  const inodes = new Set<string>();
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match) inodes.add(match[1]!);
  }
  return inodes;
}

describe('embedded database gate: concurrent connections', () => {
  it('keeps each parameterised query whole, so unnamed and per-connection named statements never collide', async () => {
    const clients = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const client = new pg.Client({ connectionString: embeddedDatabaseUrl(embedded.connection) });
        await client.connect();
        return client;
      }),
    );
    try {
      const answers = await Promise.all(
        clients.flatMap((client, c) =>
          Array.from({ length: 25 }, async (_, i) => {
            const named = i % 2 === 0 ? { name: `twice_${c}` } : {};
            const result = await client.query<{ n: number }>({ ...named, text: 'SELECT $1::int * 2 AS n', values: [c * 100 + i] });
            return result.rows[0]!.n === (c * 100 + i) * 2;
          }),
        ),
      );
      expect(answers.every(Boolean)).toBe(true);
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  });
});

describe('embedded database gate: reachability', () => {
  it('listens on a socket (0600) in a directory only its owner can enter (0700)', async () => {
    const dir = await stat(embedded.connection.socketDir);
    expect(dir.mode & 0o777).toBe(0o700);
    const socket = await stat(socketPath(embedded.connection));
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
  });

  it('opens no TCP port: this process has no listening TCP socket', async () => {
    const ours = await ownSocketInodes();
    const listening: string[] = [];
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      const lines = (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
      for (const line of lines) {
        const columns = line.trim().split(/\s+/);
        // columns: sl local_address rem_address st … inode (10th)
        if (columns[3] === '0A' && ours.has(columns[9]!)) listening.push(columns[1]!);
      }
    }
    expect(ours.size).toBeGreaterThan(0); // the owner pool's connections, at least
    expect(listening).toEqual([]);
    expect(new URL(embedded.url).searchParams.get('host')).toBe(embedded.connection.socketDir);
  });
});

describe('embedded database gate: a client idle in a transaction', () => {
  it('is cut after the limit, its writes rolled back, and the client queued behind it proceeds', async () => {
    const stuck = new pg.Client({ connectionString: embedded.url });
    const stuckError = new Promise<{ code?: string }>((resolve) => stuck.on('error', (error) => resolve(error as { code?: string })));
    await stuck.connect();
    await stuck.query('BEGIN');
    await stuck.query('INSERT INTO gate_marker VALUES (42)');

    const started = performance.now();
    const other = new pg.Client({ connectionString: embedded.url });
    await other.connect();
    const { rows } = await other.query<{ n: number }>('SELECT count(*)::int AS n FROM gate_marker');
    const waited = performance.now() - started;
    await other.end();

    expect((await stuckError).code).toBe('25P03');
    expect(rows[0]!.n).toBe(0);
    expect(waited).toBeLessThan(IDLE_LIMIT_MS + 2_000);
    expect(await markers()).toEqual([]);
    await stuck.end().catch(() => {});
  });

  it('is not cut while it keeps sending statements, nor while idle outside a transaction', async () => {
    const busy = new pg.Client({ connectionString: embedded.url });
    let failed: unknown;
    busy.on('error', (error) => (failed = error));
    await busy.connect();
    await busy.query('SELECT 1');
    await new Promise((r) => setTimeout(r, IDLE_LIMIT_MS + 500)); // idle, no transaction
    await busy.query('BEGIN');
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, IDLE_LIMIT_MS / 2));
      await busy.query('INSERT INTO gate_marker VALUES ($1)', [i]);
    }
    await busy.query('COMMIT');
    await busy.end();
    expect(failed).toBeUndefined();
    expect(await markers()).toEqual([0, 1, 2, 3]);
  });
});

/** An authenticated raw client that has sent Parse, Bind and Execute and holds its batch open (no Sync). */
async function clientHoldingBatch() {
  const client = await rawClient();
  client.socket.on('error', () => {});
  client.socket.write(Buffer.concat([startupPacket({ user: 'enclave', database: 'postgres' }), typed('p', embedded.connection.secret)]));
  await expect.poll(() => messages(client.received()).some(([type]) => type === 'Z')).toBe(true);
  const bind = Buffer.from([0x42, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0]); // unnamed portal and statement, no parameters
  const execute = Buffer.from([0x45, 0, 0, 0, 9, 0, 0, 0, 0, 0]);
  client.socket.write(Buffer.concat([Buffer.from([0x50, 0, 0, 0, 16, 0]), Buffer.from('SELECT 1\0'), Buffer.from([0, 0]), bind, execute]));
  await expect.poll(() => messages(client.received()).some(([type]) => type === 'C')).toBe(true);
  return client;
}

async function timedSelect(): Promise<number> {
  const started = performance.now();
  const other = new pg.Client({ connectionString: embedded.url, query_timeout: 10_000 });
  other.on('error', () => {});
  await other.connect();
  await other.query('SELECT 1');
  await other.end();
  return performance.now() - started;
}

describe('embedded database gate: a client holding an extended-protocol batch open', () => {
  it('is cut after the idle limit, and the clients queued behind it proceed', async () => {
    const stuck = await clientHoldingBatch();
    expect(await timedSelect()).toBeLessThan(IDLE_LIMIT_MS + 2_000);
    await stuck.closed;
    expect(errorCode(messages(stuck.received()).find(([type]) => type === 'E')![1])).toBe('25P03');
  }, 20_000);

  it('releases the database as soon as it disconnects', async () => {
    const stuck = await clientHoldingBatch();
    stuck.socket.destroy();
    await stuck.closed;
    expect(await timedSelect()).toBeLessThan(IDLE_LIMIT_MS);
  }, 20_000);
});
