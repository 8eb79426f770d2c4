// A planted secret value never leaves the vault except through decryptSecret():
// not in any tRPC response (success or error, through the real HTTP handler and
// its error formatter), not in a log line at trace level, not in the audit
// trail, and not anywhere in the database in the clear (trace spans included).
import { randomUUID } from 'node:crypto';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import pino from 'pino';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWorkspace } from '../db/with-workspace';
import { logger } from '../observability/logger';
import { quoteIdent } from '../testing/tenant-tables';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import { decryptSecret } from '../vault/decrypt-secret';
import type { SessionUser } from './context';
import { createContext } from './context';
import { appRouter } from './root';

const PLANT = `planted-${randomUUID()}`;
/** Every form the value could take on its way out: as is, hex, base64, and JSON-escaped. */
const forms = (value: string) => [
  value,
  Buffer.from(value).toString('hex'),
  Buffer.from(value).toString('base64').slice(0, 24),
  JSON.stringify(value).slice(1, -1),
];

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
const logLines: string[] = [];
const responses: string[] = [];

type Answer = { status: number; body: string; data: unknown };

/** One call through the same fetch handler the app serves /api/trpc with, as `user`. */
async function callHttp(user: SessionUser, path: string, type: 'query' | 'mutation', input: unknown): Promise<Answer> {
  const encoded = JSON.stringify(superjson.serialize(input));
  const url = new URL(`http://localhost/api/trpc/${path}`);
  if (type === 'query') url.searchParams.set('input', encoded);
  const req = new Request(url, type === 'query' ? {} : { method: 'POST', body: encoded, headers: { 'content-type': 'application/json' } });
  const res = await fetchRequestHandler({ endpoint: '/api/trpc', req, router: appRouter, createContext: async () => createContext(user) });
  const body = await res.text();
  responses.push(body);
  const parsed = JSON.parse(body) as { result?: { data: unknown }; error?: unknown };
  return { status: res.status, body, data: parsed.result ? superjson.deserialize(parsed.result.data as never) : parsed.error };
}

function leaksIn(haystack: string[]): string[] {
  return haystack.filter((text) => forms(PLANT).some((form) => text.includes(form))).map((text) => text.slice(0, 300));
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
  // Capture everything the app's logger writes, at its most verbose.
  const capture = { write: (line: string) => void logLines.push(line) };
  (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = capture;
  logger.level = 'trace';
});
afterAll(async () => db.stop());

describe('a planted secret value', () => {
  it('never appears in responses, errors, logs, the audit trail or the database', async () => {
    const ws = { workspaceId: a.workspace.id };
    const name = 'PLANTED_TOKEN';

    // The happy path: create, list, replace.
    const created = await callHttp(a.owner, 'secrets.create', 'mutation', { ...ws, name, value: PLANT });
    expect(created.status).toBe(200);
    const secretId = (created.data as { id: string }).id;
    const listed = await callHttp(a.member, 'secrets.list', 'query', ws);
    expect((listed.data as { name: string }[]).map((s) => s.name)).toContain(name);
    expect((await callHttp(a.owner, 'secrets.update', 'mutation', { ...ws, secretId, value: `${PLANT}-replaced` })).status).toBe(200);

    // Refusals, each carrying the value: clean 4xx answers that do not repeat it.
    const refusals: [SessionUser, string, unknown, number][] = [
      [a.owner, 'secrets.create', { ...ws, name, value: PLANT }, 409],
      [a.owner, 'secrets.create', { ...ws, name: `bad name ${PLANT}`, value: PLANT }, 400],
      [a.owner, 'secrets.create', { ...ws, name: 'TOO_LONG', value: `${PLANT}${'x'.repeat(9000)}` }, 400],
      [a.owner, 'secrets.create', { ...ws, name: 'WITH_NUL', value: `${PLANT}\0` }, 400],
      [a.owner, 'secrets.update', { ...ws, secretId: randomUUID(), value: PLANT }, 404],
      [a.owner, 'secrets.update', { ...ws, secretId: b.secret.id, value: PLANT }, 404],
      [a.member, 'secrets.update', { ...ws, secretId, value: PLANT }, 403],
      [a.owner, 'secrets.create', { workspaceId: b.workspace.id, name: 'CROSS', value: PLANT }, 404],
    ];
    for (const [user, path, input, status] of refusals) {
      const answer = await callHttp(user, path, 'mutation', input);
      expect(answer.status, `${path} ${answer.body.slice(0, 200)}`).toBe(status);
    }

    // A failure inside the vault (a damaged data key) while handling the value: a
    // logged 500 with a generic message.
    const { rows } = await db.owner.query('SELECT wrapped_key FROM workspace_keys WHERE workspace_id = $1', [a.workspace.id]);
    await db.owner.query(`UPDATE workspace_keys SET wrapped_key = set_byte(wrapped_key, 0, get_byte(wrapped_key, 0) # 1) WHERE workspace_id = $1`, [a.workspace.id]);
    const broken = await callHttp(a.owner, 'secrets.update', 'mutation', { ...ws, secretId, value: PLANT });
    expect(broken.status).toBe(500);
    expect(broken.body).toContain('Something went wrong on our side');
    const decryptFailure = await withWorkspace(a.workspace.id, (tx) =>
      decryptSecret(tx, { workspaceId: a.workspace.id, name, purpose: 'leak test' }),
    ).catch((error: Error) => error);
    expect(decryptFailure).toBeInstanceOf(Error);
    logger.error({ err: decryptFailure }, 'tool call failed');
    await db.owner.query('UPDATE workspace_keys SET wrapped_key = $2 WHERE workspace_id = $1', [a.workspace.id, rows[0].wrapped_key]);

    // The one sanctioned way out, audited.
    const value = await withWorkspace(a.workspace.id, (tx) => decryptSecret(tx, { workspaceId: a.workspace.id, name, purpose: 'leak test' }));
    expect(value).toBe(`${PLANT}-replaced`);
    logger.info({ secret: name, purpose: 'leak test' }, 'secret used');

    // The checks are live: the capture saw the 500 and the decrypt failure.
    expect(logLines.some((l) => l.includes('procedure failed'))).toBe(true);
    expect(logLines.some((l) => l.includes('failed its integrity check'))).toBe(true);
    expect(responses.length).toBeGreaterThan(10);
    expect(leaksIn(responses), 'responses carrying the value').toEqual([]);
    expect(leaksIn(logLines), 'log lines carrying the value').toEqual([]);
    expect(leaksIn([String(decryptFailure), (decryptFailure as Error).stack ?? ''])).toEqual([]);

    // Nowhere in the database in the clear: every row of every table, as the owner sees it.
    const { rows: tables } = await db.owner.query<{ table: string }>(
      `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
    );
    const dump: string[] = [];
    for (const { table } of tables) {
      const { rows: all } = await db.owner.query<{ row: string }>(`SELECT to_jsonb(t)::text AS row FROM public.${quoteIdent(table)} t`);
      dump.push(...all.map((r) => r.row));
    }
    expect(dump.some((row) => row.includes('PLANTED_TOKEN'))).toBe(true);
    // Traces are among the rows searched (the OTLP payload is checked in server/observability/otel-export.test.ts).
    expect(tables.map((t) => t.table)).toContain('trace_spans');
    expect(leaksIn(dump), 'database rows carrying the value').toEqual([]);
    const { rows: trail } = await db.owner.query<{ action: string }>(
      'SELECT action FROM audit_events WHERE workspace_id = $1 AND target = $2 ORDER BY created_at, id',
      [a.workspace.id, name],
    );
    expect(trail.map((e) => e.action)).toEqual(['secret.created', 'secret.updated', 'secret.decrypted']);
  });
});
