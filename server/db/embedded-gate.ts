// The only door to the embedded database: a Unix socket that asks every client
// for the user and secret before a single byte reaches PGlite (whose one user is
// a superuser, to which RLS does not apply), and cuts any connection that sits
// idle inside a transaction, since PGlite's one backend would wait for it forever.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, PGLiteSocketServer, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import {
  authenticationCleartextPassword,
  errorResponse,
  MessageScanner,
  readPasswordMessage,
  readStartupPacket,
} from './postgres-wire';

export type GateOptions = {
  db: PGlite;
  /** Where to listen; the caller puts it in a directory only this user can enter. */
  socketPath: string;
  user: string;
  secret: string;
  /** A connection idle in a transaction this long is closed, which rolls its transaction back. */
  idleInTransactionMs: number;
  maxConnections?: number;
};

export type EmbeddedGate = { close: () => Promise<void> };

/** Time a client has to authenticate, as PostgreSQL's authentication_timeout. */
const AUTHENTICATION_TIMEOUT_MS = 10_000;

type QueryQueue = PGLiteSocketHandlerOptions['queryQueue'];

const digest = (value: string | Buffer) => createHash('sha256').update(value).digest();

export async function openGate(options: GateOptions): Promise<EmbeddedGate> {
  await options.db.waitReady;
  // pglite-socket's server owns the queue that runs one message at a time and
  // keeps a connection's transaction whole; it is not exported, so borrow the
  // queue from a server that never listens and attach its handlers ourselves.
  const queue = (new PGLiteSocketServer({ db: options.db }) as unknown as { queryQueue: QueryQueue }).queryQueue;
  const openBatches = keepExtendedQueriesWhole(queue, options.db);
  const secretDigest = digest(options.secret);
  const maxConnections = options.maxConnections ?? 64;
  const sockets = new Set<Socket>();
  const pending = new Set<Socket>();
  const handlers = new Set<PGLiteSocketHandler>();

  const refuse = (socket: Socket, code: string, message: string) => {
    socket.end(errorResponse('FATAL', code, message));
    socket.destroySoon();
  };

  const admit = async (socket: Socket, startup: Buffer, rest: Buffer) => {
    const handler = new PGLiteSocketHandler({ queryQueue: queue, closeOnDetach: true });
    handlers.add(handler);
    const forget = () => {
      handlers.delete(handler);
      openBatches.delete(handler.handlerId);
      // Statements queued behind this connection's open batch waited for its Sync;
      // nothing else would wake the queue once it is gone.
      setImmediate(() => void wakeQueue(queue));
    };
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    watchTransactions(socket, startup.length, options.idleInTransactionMs);
    await handler.attach(socket);
    // The handler reads from the socket from here on; give it the start-up
    // packet it has not seen (PGlite answers it with AuthenticationOk).
    socket.unshift(rest.length ? Buffer.concat([startup, rest]) : startup);
    socket.resume();
  };

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (pending.size + handlers.size >= maxConnections) {
      refuse(socket, '53300', 'sorry, too many clients already');
      return;
    }
    pending.add(socket);
    let buffered = Buffer.alloc(0);
    let startup: { packet: Buffer; user: string } | undefined;
    const timer = setTimeout(() => socket.destroy(), AUTHENTICATION_TIMEOUT_MS);
    const settle = () => {
      clearTimeout(timer);
      pending.delete(socket);
      socket.removeListener('data', onData);
    };
    socket.on('error', () => socket.destroy());
    socket.on('close', settle);

    function onData(chunk: Buffer) {
      buffered = Buffer.concat([buffered, chunk]);
      if (!startup) {
        const packet = readStartupPacket(buffered);
        if (packet.kind === 'incomplete') return;
        if (packet.kind === 'encryption-request') {
          socket.write('N');
          buffered = buffered.subarray(packet.length);
          return onData(Buffer.alloc(0));
        }
        if (packet.kind === 'cancel-request') {
          // PGlite has no backend to signal; the protocol expects no answer.
          settle();
          socket.destroy();
          return;
        }
        if (packet.kind !== 'startup') {
          settle();
          return refuse(socket, '08P01', 'unsupported frontend protocol');
        }
        startup = { packet: Buffer.from(buffered.subarray(0, packet.length)), user: packet.parameters.user ?? '' };
        buffered = buffered.subarray(packet.length);
        socket.write(authenticationCleartextPassword());
      }
      const answer = readPasswordMessage(buffered);
      if (answer.kind === 'incomplete') return;
      settle();
      const passwordOk = answer.kind === 'password' && timingSafeEqual(digest(answer.password), secretDigest);
      if (!passwordOk || startup.user !== options.user) {
        return refuse(socket, '28P01', `password authentication failed for user "${startup.user}"`);
      }
      socket.pause();
      void admit(socket, startup.packet, buffered.subarray(answer.length)).catch(() => socket.destroy());
    }
    socket.on('data', onData);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of pending) socket.destroy();
      await Promise.all([...handlers].map((handler) => handler.detach(true)));
      handlers.clear();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** Runs whatever the queue holds (its own loop stops while a connection it serves alone is silent). */
function wakeQueue(queue: QueryQueue): Promise<void> {
  return (queue as unknown as { processQueue: () => Promise<void> }).processQueue();
}

/**
 * Follows one connection's transaction state from the ReadyForQuery status byte
 * PGlite sends ('I' idle, 'T' in a transaction, 'E' in a failed one) and closes
 * the connection when it has waited in a transaction — or inside an
 * extended-protocol batch it has not ended with Sync, which the queue serves
 * alone too — with nothing asked of the database, for longer than the limit, as
 * PostgreSQL's idle_in_transaction_session_timeout does. Closing makes pglite-socket roll the
 * transaction back and let the other connections' queued statements run.
 */
function watchTransactions(socket: Socket, startupLength: number, limitMs: number) {
  let status = 'I';
  /** A batch message (Parse, Bind, Execute, …) has been sent since the last Sync or Query. */
  let batchOpen = false;
  /** Requests (Query, Sync, FunctionCall, the start-up packet) still awaiting their ReadyForQuery. */
  let awaiting = 1;
  let timer: NodeJS.Timeout | undefined;

  const rearm = () => {
    clearTimeout(timer);
    timer = undefined;
    if (awaiting === 0 && (status !== 'I' || batchOpen)) timer = setTimeout(cut, limitMs);
  };
  const cut = () => {
    socket.end(errorResponse('FATAL', '25P03', 'terminating connection due to idle-in-transaction timeout'));
    socket.destroySoon();
    setTimeout(() => socket.destroy(), 1_000).unref();
  };

  const fromClient = new MessageScanner((type) => {
    if (type === 'Q' || type === 'S' || type === 'F') awaiting += 1;
    if (BATCH_MESSAGES.has(type.charCodeAt(0))) batchOpen = true;
    else if (type === 'S' || type === 'Q') batchOpen = false;
  }, startupLength);
  socket.on('data', (chunk: Buffer) => {
    fromClient.scan(chunk);
    rearm();
  });
  socket.on('close', () => clearTimeout(timer));

  const fromDatabase = new MessageScanner((type, firstBodyByte) => {
    if (type !== 'Z') return;
    awaiting = Math.max(0, awaiting - 1);
    status = String.fromCharCode(firstBodyByte ?? 0x49);
    rearm();
  });
  const write = socket.write.bind(socket) as (chunk: Uint8Array, callback?: (error?: Error | null) => void) => boolean;
  socket.write = ((chunk: Uint8Array, callback?: (error?: Error | null) => void) => {
    fromDatabase.scan(chunk);
    return write(chunk, callback);
  }) as typeof socket.write;
}

/** Extended-protocol messages that leave a batch open until the client's Sync. */
const BATCH_MESSAGES = new Set(['P', 'B', 'E', 'D', 'C', 'H'].map((c) => c.charCodeAt(0)));
const SYNC = 'S'.charCodeAt(0);
const QUERY = 'Q'.charCodeAt(0);

/**
 * pglite-socket's queue keeps a connection's explicit transaction whole but
 * interleaves other connections between the Parse, Bind, Execute and Sync of an
 * extended-protocol query outside one — and PGlite has one session, so another
 * connection's Parse replaces the unnamed statement in between ("unnamed prepared
 * statement does not exist"). This makes a connection with a batch open (a batch
 * message since its last Sync) count as in a transaction, so the queue serves it
 * alone until its Sync. Returns the per-connection state, to forget on close.
 */
function keepExtendedQueriesWhole(queue: QueryQueue, db: PGlite): Map<number, boolean> {
  const open = new Map<number, boolean>();
  const owner = new WeakMap<Uint8Array, number>();
  const internals = queue as unknown as {
    db: PGlite;
    lastHandlerId: number | null;
    enqueue: (handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void) => Promise<number>;
  };
  const enqueue = internals.enqueue.bind(queue);
  internals.enqueue = (handlerId, message, onData) => {
    owner.set(message, handlerId);
    return enqueue(handlerId, message, onData);
  };
  internals.db = new Proxy(db, {
    get(target, property) {
      if (property === 'isInTransaction') {
        return () => target.isInTransaction() || (internals.lastHandlerId !== null && open.get(internals.lastHandlerId) === true);
      }
      if (property === 'execProtocolRawStream') {
        return async (message: Uint8Array, streamOptions: Parameters<PGlite['execProtocolRawStream']>[1]) => {
          const result = await target.execProtocolRawStream(message, streamOptions);
          const handlerId = owner.get(message);
          if (handlerId !== undefined) {
            if (BATCH_MESSAGES.has(message[0]!)) open.set(handlerId, true);
            else if (message[0] === SYNC || message[0] === QUERY) open.set(handlerId, false);
          }
          return result;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return open;
}
