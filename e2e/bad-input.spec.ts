// Regression table: every kind of bad input the edge has been seen to mishandle
// gets a clean 4xx whose message is written for people — never a 500, and never
// parser, transformer, database or stack-trace text. Rows cover NUL in each text
// field of every mutation, oversize and wrongly typed fields, unreadable bodies
// (null, malformed, deeply nested, superjson naming an unknown class), bad ids,
// deceptive names, lone surrogates, unknown procedures and invalid pages.
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './support/test';

type Row = {
  what: string;
  method: 'GET' | 'POST';
  path: string;
  /** A raw body (sent as is) or a value sent as the superjson envelope { json: value }. */
  body?: string | { json: unknown };
  status: number;
  /** Text the message must contain, when the row pins the wording. */
  message?: string;
};

const INTERNAL_TEXT = [/destructure/i, /call stack/i, /superjson/i, /prisma/i, /\bat \//, /\(\/[^)]*:\d+:\d+\)/, /github\.com/i, /TypeError|SyntaxError|RangeError/, /Unexpected token/i, /postgres|0x00|byte sequence/i];

const NUL = 'a\u0000b';
const LONG_TOKEN = 'x'.repeat(43);
const GOOD_PASSWORD = 'long enough password';
const NIL_UUID = '00000000-0000-4000-8000-000000000000';

const query = (procedure: string, input: unknown) => `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
const json = (input: unknown) => ({ json: input });

/** Rows that need the signed-in demo owner's workspace, member and invitation ids. */
function workspaceRows(ids: { workspaceId: string; memberId: string; invitationId: string }): Row[] {
  const { workspaceId, memberId, invitationId } = ids;
  const post = (what: string, path: string, input: unknown, status = 400, message?: string): Row => ({
    what,
    method: 'POST',
    path: `/api/trpc/${path}`,
    body: json(input),
    status,
    message,
  });
  return [
    post('workspaces.create: NUL in name', 'workspaces.create', { name: NUL }, 400, 'Name cannot contain a NUL character'),
    post('workspaces.create: NUL in slug', 'workspaces.create', { name: 'Fine name', slug: NUL }, 400, 'URL cannot contain a NUL character'),
    post('workspaces.create: name over 80 characters', 'workspaces.create', { name: 'x'.repeat(81) }, 400, 'Workspace name can be at most 80 characters'),
    post('workspaces.create: name is a number', 'workspaces.create', { name: 42 }, 400, 'Workspace name must be text'),
    post('workspaces.create: name is an object', 'workspaces.create', { name: { a: 1 } }, 400, 'Workspace name must be text'),
    post('workspaces.create: right-to-left override in name', 'workspaces.create', { name: 'Acme\u202Egnp.exe' }, 400, 'text-direction control characters'),
    post('workspaces.create: pop directional isolate in name', 'workspaces.create', { name: 'Ac\u2069me' }, 400, 'text-direction control characters'),
    post('workspaces.create: control character in name', 'workspaces.create', { name: 'Ac\u0007me' }, 400, 'control characters'),
    post('workspaces.create: line separator in name', 'workspaces.create', { name: 'Ac\u2028me' }, 400, 'control characters'),
    post('workspaces.create: paragraph separator in name', 'workspaces.create', { name: 'Ac\u2029me' }, 400, 'control characters'),
    post('workspaces.create: only zero-width characters', 'workspaces.create', { name: '\u200B\u200C\u2060' }, 400, 'at least one visible'),
    post('workspaces.create: only combining marks', 'workspaces.create', { name: '\u0301\u0308\u0327' }, 400, 'at least one visible'),
    {
      what: 'workspaces.create: lone surrogate in name (raw JSON escape)',
      method: 'POST',
      path: '/api/trpc/workspaces.create',
      body: '{"json":{"name":"Acme \\ud800"}}',
      status: 400,
      message: 'Name contains an incomplete character',
    },
    post('workspaces.update: NUL in name', 'workspaces.update', { workspaceId, name: NUL }, 400, 'Name cannot contain a NUL character'),
    post('workspaces.update: NUL in slug', 'workspaces.update', { workspaceId, slug: NUL }, 400, 'URL cannot contain a NUL character'),
    post('workspaces.update: bad workspace uuid', 'workspaces.update', { workspaceId: 'not-a-uuid', name: 'Acme' }, 400, 'Workspace is not a valid id'),
    post('workspaces.update: workspace id is a number', 'workspaces.update', { workspaceId: 7, name: 'Acme' }, 400),
    post('workspaces.delete: bad workspace uuid', 'workspaces.delete', { workspaceId: `${NIL_UUID}\u0000` }, 400),
    post('workspaces.leave: bad workspace uuid', 'workspaces.leave', { workspaceId: 'x' }, 400),
    post('invitations.create: NUL in email', 'invitations.create', { workspaceId, email: `new${NUL}@e2e.test`, role: 'member' }, 400, 'Email cannot contain a NUL character'),
    post('invitations.create: email over 254 characters', 'invitations.create', { workspaceId, email: `${'x'.repeat(250)}@e2e.test`, role: 'member' }, 400, 'at most 254'),
    post('invitations.create: unknown role', 'invitations.create', { workspaceId, email: 'ok@e2e.test', role: 'god' }, 400, 'Choose a role'),
    post('invitations.create: replaceExisting is a string', 'invitations.create', { workspaceId, email: 'ok@e2e.test', role: 'member', replaceExisting: 'yes' }, 400),
    post('invitations.resend: bad invitation uuid', 'invitations.resend', { workspaceId, invitationId: 'nope' }, 400, 'Invitation is not a valid id'),
    post('invitations.revoke: NUL in invitation id', 'invitations.revoke', { workspaceId, invitationId: `${invitationId}\u0000` }, 400),
    post('invitations.accept: NUL in token', 'invitations.accept', { token: `${LONG_TOKEN}\u0000` }, 400, 'Link cannot contain a NUL character'),
    post('invitations.accept: token too long', 'invitations.accept', { token: 'x'.repeat(500) }, 400),
    post('members.changeRole: bad member uuid', 'members.changeRole', { workspaceId, memberId: 'nope', role: 'admin' }, 400, 'Member is not a valid id'),
    post('members.changeRole: NUL in role', 'members.changeRole', { workspaceId, memberId, role: `admin\u0000` }, 400),
    post('members.remove: NUL in member id', 'members.remove', { workspaceId, memberId: `${memberId}\u0000` }, 400),
    // Procedures added with the agent runtime, knowledge, memory and governance: the same rules hold.
    post('agents.create: bidi override in name', 'agents.create', { workspaceId, name: 'Helper\u202Eevil', systemPrompt: 'Hi', model: 'enclave-local-chat' }, 400, 'text-direction'),
    post('agents.create: NUL in description', 'agents.create', { workspaceId, name: 'Helper', description: NUL }, 400, 'Description cannot contain a NUL character'),
    post('prompts.create: NUL in body', 'prompts.create', { workspaceId, name: 'greeting', body: NUL }, 400, 'Body cannot contain a NUL character'),
    post('knowledge.create: NUL in description', 'knowledge.create', { workspaceId, name: 'Guide', description: NUL }, 400, 'Description cannot contain a NUL character'),
    post('knowledge.create: invisible-only name', 'knowledge.create', { workspaceId, name: '\u200B\u200B' }, 400, 'at least one visible'),
    post('knowledge.addText: control character in document name', 'knowledge.addText', { workspaceId, knowledgeBaseId: NIL_UUID, name: 'a\u0007b', text: 'hi' }, 400, 'control characters'),
    post('providers.create: line separator in name', 'providers.create', { workspaceId, name: 'Two\u2028lines' }, 400, 'control characters'),
    post('runs.start: NUL in idempotency key', 'runs.start', { workspaceId, agentId: NIL_UUID, idempotencyKey: NUL }, 400, 'Idempotency key cannot contain a NUL character'),
    post('tools.create: NUL in a header value', 'tools.create', { workspaceId, name: 'lookup', headers: { 'X-Key': NUL } }, 400, 'cannot contain a NUL character'),
    { what: 'memory.threads: NUL in end user', method: 'GET', path: query('memory.threads', { workspaceId, endUser: NUL }), status: 400, message: 'End user cannot contain a NUL character' },
    { what: 'workspaces.bySlug: NUL in slug', method: 'GET', path: query('workspaces.bySlug', { slug: NUL }), status: 400, message: 'URL cannot contain a NUL character' },
    { what: 'workspaces.get: bad workspace uuid', method: 'GET', path: query('workspaces.get', { workspaceId: 'zzz' }), status: 400 },
  ];
}

const publicRows: Row[] = [
  ...(['email', 'name', 'password'] as const).map(
    (field): Row => ({
      what: `account.signUp: NUL in ${field}`,
      method: 'POST',
      path: '/api/trpc/account.signUp',
      body: json({ email: 'nul@e2e.test', name: 'Nul Tester', password: GOOD_PASSWORD, [field]: field === 'email' ? `nul${NUL}@e2e.test` : `${NUL}${GOOD_PASSWORD}` }),
      status: 400,
      message: 'cannot contain a NUL character',
    }),
  ),
  { what: 'account.signUp: name over 100 characters', method: 'POST', path: '/api/trpc/account.signUp', body: json({ email: 'long@e2e.test', name: 'x'.repeat(101), password: GOOD_PASSWORD }), status: 400, message: 'Name can be at most 100 characters' },
  { what: 'account.signUp: bidi override in name', method: 'POST', path: '/api/trpc/account.signUp', body: json({ email: 'bidi@e2e.test', name: 'Eve\u202Eevil', password: GOOD_PASSWORD }), status: 400, message: 'text-direction' },
  { what: 'account.signUp: invisible-only name', method: 'POST', path: '/api/trpc/account.signUp', body: json({ email: 'ghost@e2e.test', name: '\u3164\u200B', password: GOOD_PASSWORD }), status: 400, message: 'at least one visible' },
  { what: 'account.signUp: lone low surrogate in name (raw JSON escape)', method: 'POST', path: '/api/trpc/account.signUp', body: `{"json":{"email":"half@e2e.test","name":"\\udc00x","password":"${GOOD_PASSWORD}"}}`, status: 400, message: 'incomplete character' },
  { what: 'account.signUp: password is an array', method: 'POST', path: '/api/trpc/account.signUp', body: json({ email: 'arr@e2e.test', name: 'Arr', password: ['x'] }), status: 400, message: 'Password must be text' },
  { what: 'a null body', method: 'POST', path: '/api/trpc/account.signUp', body: 'null', status: 400, message: 'Invalid request body' },
  { what: 'a body that is a JSON string', method: 'POST', path: '/api/trpc/account.signUp', body: '"hello"', status: 400, message: 'Invalid request body' },
  { what: 'malformed JSON', method: 'POST', path: '/api/trpc/account.signUp', body: '{"json": {"email": ', status: 400, message: 'Invalid request body' },
  { what: 'malformed JSON in a query', method: 'GET', path: '/api/trpc/invitations.preview?input=%7Bnope', status: 400, message: 'Invalid request body' },
  {
    what: 'deeply nested JSON in the superjson meta',
    method: 'POST',
    path: '/api/trpc/account.signUp',
    body: `{"json":{"email":"deep@e2e.test","name":"Deep","password":"${GOOD_PASSWORD}"},"meta":{"values":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`,
    status: 400,
    message: 'Invalid request body',
  },
  {
    what: 'deeply nested JSON in the input',
    method: 'POST',
    path: '/api/trpc/account.signUp',
    body: `{"json":{"email":"deep@e2e.test","name":"Deep","password":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}}`,
    status: 400,
  },
  {
    what: 'superjson meta naming an unregistered class',
    method: 'POST',
    path: '/api/trpc/account.signUp',
    body: `{"json":{"email":"cls@e2e.test","name":"Cls","password":"${GOOD_PASSWORD}"},"meta":{"values":{"name":[["class","Evil"]]}}}`,
    status: 400,
    message: 'Invalid request body',
  },
  {
    what: 'superjson meta of the wrong shape',
    method: 'POST',
    path: '/api/trpc/account.signUp',
    body: `{"json":{"email":"meta@e2e.test","name":"Meta","password":"${GOOD_PASSWORD}"},"meta":{"values":"zzz"}}`,
    status: 400,
    message: 'Invalid request body',
  },
  { what: 'invitations.preview: NUL in token', method: 'GET', path: query('invitations.preview', { token: `${LONG_TOKEN}\u0000` }), status: 400 },
  { what: 'invitations.preview: token is a number', method: 'GET', path: query('invitations.preview', { token: 12345 }), status: 400, message: 'Invitation link must be text' },
  { what: 'invitations.preview: unknown token', method: 'GET', path: query('invitations.preview', { token: LONG_TOKEN }), status: 404, message: 'This invitation link is not valid' },
  { what: 'an unknown procedure', method: 'POST', path: '/api/trpc/nothing.here', body: json({}), status: 404 },
  { what: 'a query sent as POST', method: 'POST', path: '/api/trpc/invitations.preview', body: json({ token: LONG_TOKEN }), status: 405 },
];

async function send(request: APIRequestContext, row: Row) {
  const data = typeof row.body === 'string' ? row.body : row.body === undefined ? undefined : JSON.stringify(row.body);
  return row.method === 'GET'
    ? request.get(row.path)
    : request.post(row.path, { data, headers: { 'content-type': 'application/json' } });
}

async function expectClean(request: APIRequestContext, row: Row) {
  const response = await send(request, row);
  const text = await response.text();
  expect(response.status(), `${row.what}: status (body ${text.slice(0, 200)})`).toBe(row.status);
  const message = (JSON.parse(text) as { error?: { json?: { message?: string } } }).error?.json?.message ?? '';
  expect(message, `${row.what}: a message for people`).not.toBe('');
  if (row.message) expect(message, row.what).toContain(row.message);
  for (const pattern of INTERNAL_TEXT) expect(text, `${row.what}: no internal text`).not.toMatch(pattern);
}

test.describe('bad input answers a clean 4xx', () => {
  for (const row of publicRows) {
    test(row.what, async ({ request }) => expectClean(request, row));
  }

  test('in every workspace mutation (signed in as the demo owner)', async ({ page }) => {
    const { csrfToken } = (await (await page.request.get('/api/auth/csrf')).json()) as { csrfToken: string };
    const signIn = await page.request.post('/api/auth/callback/credentials', {
      form: { csrfToken, email: 'alice@acme.test', password: 'alice-demo-1', json: 'true' },
    });
    expect(signIn.ok()).toBe(true);
    const data = async (path: string) => ((await (await page.request.get(path)).json()) as { result: { data: { json: unknown } } }).result.data.json;
    const workspace = (await data(query('workspaces.bySlug', { slug: 'acme' }))) as { id: string };
    const members = (await data(query('members.list', { workspaceId: workspace.id }))) as { id: string }[];
    const invited = await page.request.post('/api/trpc/invitations.create', {
      data: json({ workspaceId: workspace.id, email: `bad-input-${Date.now()}@e2e.test`, role: 'viewer' }),
    });
    const invitationId = ((await invited.json()) as { result: { data: { json: { invitation: { id: string } } } } }).result.data.json.invitation.id;

    for (const row of workspaceRows({ workspaceId: workspace.id, memberId: members[0]!.id, invitationId })) {
      await expectClean(page.request, row);
    }
    // Nothing above changed the workspace.
    expect(await data(query('workspaces.get', { workspaceId: workspace.id }))).toMatchObject({ name: 'Acme', slug: 'acme' });

    // Pages: an invalid invitation link and a workspace slug with NUL are 404s, not soft 200s or 500s.
    for (const path of [`/invite/${LONG_TOKEN}`, '/invite/short', '/invite/%00', '/w/%00', '/w/acme%00/members']) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
    }
    await expect(page).toHaveTitle('Page not found · Enclave');
    const invite = await page.goto(`/invite/${LONG_TOKEN}`);
    expect(invite?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Invitation not found' })).toBeVisible();
  });
});

/** Signs `who` in on a request context; returns a reader of tRPC query data. */
async function apiSignIn(request: APIRequestContext, email: string, password: string) {
  const { csrfToken } = (await (await request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  expect((await request.post('/api/auth/callback/credentials', { form: { csrfToken, email, password, json: 'true' } })).ok()).toBe(true);
  return async <T>(procedure: string, input: unknown) =>
    ((await (await request.get(query(procedure, input))).json()) as { result: { data: { json: T } } }).result.data.json;
}

test('the app\'s own API routes (upload, export, audit CSV, run events) answer bad input with a plain 4xx and the security headers', async ({ page, request }) => {
  const alice = await apiSignIn(page.request, 'alice@acme.test', 'alice-demo-1');
  const bob = await apiSignIn(request, 'bob@globex.test', 'bob-demo-1');
  const acme = await alice<{ id: string }>('workspaces.bySlug', { slug: 'acme' });
  const globex = await bob<{ id: string }>('workspaces.bySlug', { slug: 'globex' });
  const [run] = await alice<{ id: string }[]>('runs.list', { workspaceId: acme.id, limit: 1 });
  const [globexRun] = await bob<{ id: string }[]>('runs.list', { workspaceId: globex.id, limit: 1 });
  const [base] = await alice<{ id: string }[]>('knowledge.list', { workspaceId: acme.id });
  const upload = (fields: Record<string, string>, file?: { name: string; mimeType: string; buffer: Buffer }) => ({
    multipart: { ...fields, ...(file ? { file } : {}) },
  });
  const text = (name: string) => ({ name, mimeType: 'text/plain', buffer: Buffer.from('hello') });
  const rows: { what: string; path: string; post?: ReturnType<typeof upload> | { data: string; headers: Record<string, string> }; status: number; message: string }[] = [
    { what: 'upload: not multipart', path: '/api/knowledge/upload', post: { data: '{}', headers: { 'content-type': 'application/json' } }, status: 400, message: 'multipart/form-data' },
    { what: 'upload: multipart cut short', path: '/api/knowledge/upload', post: { data: '--zz\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc', headers: { 'content-type': 'multipart/form-data; boundary=zz' } }, status: 400, message: 'multipart/form-data' },
    { what: 'upload: no file', path: '/api/knowledge/upload', post: upload({ workspaceId: acme.id, knowledgeBaseId: base!.id }), status: 400, message: 'Choose a file' },
    { what: 'upload: workspace id not an id', path: '/api/knowledge/upload', post: upload({ workspaceId: 'nope', knowledgeBaseId: base!.id }, text('a.txt')), status: 404, message: 'Workspace not found' },
    { what: 'upload: NUL in workspace id', path: '/api/knowledge/upload', post: upload({ workspaceId: `${acme.id}\u0000`, knowledgeBaseId: base!.id }, text('a.txt')), status: 404, message: 'Workspace not found' },
    { what: 'upload: knowledge base id not an id', path: '/api/knowledge/upload', post: upload({ workspaceId: acme.id, knowledgeBaseId: 'nope' }, text('a.txt')), status: 404, message: 'Knowledge base not found' },
    { what: 'upload: another workspace', path: '/api/knowledge/upload', post: upload({ workspaceId: globex.id, knowledgeBaseId: base!.id }, text('a.txt')), status: 404, message: 'Workspace not found' },
    { what: 'upload: right-to-left override in file name', path: '/api/knowledge/upload', post: upload({ workspaceId: acme.id, knowledgeBaseId: base!.id }, text('a\u202Etxt.exe')), status: 400, message: 'text-direction' },
    { what: 'upload: control character in file name', path: '/api/knowledge/upload', post: upload({ workspaceId: acme.id, knowledgeBaseId: base!.id }, text('a\u0007.txt')), status: 400, message: 'control characters' },
    { what: 'export: id not an id', path: `/api/exports/nope?workspaceId=${acme.id}`, status: 404, message: 'Export not found' },
    { what: 'export: unknown export', path: `/api/exports/${NIL_UUID}?workspaceId=${acme.id}`, status: 404, message: 'Export not found' },
    { what: 'export: another workspace', path: `/api/exports/${NIL_UUID}?workspaceId=${globex.id}`, status: 404, message: 'Workspace not found' },
    { what: 'export: no workspace', path: `/api/exports/${NIL_UUID}`, status: 400, message: 'Say which workspace' },
    { what: 'audit CSV: workspace id not an id', path: '/api/audit/csv?workspaceId=nope', status: 404, message: 'Workspace not found' },
    { what: 'audit CSV: another workspace', path: `/api/audit/csv?workspaceId=${globex.id}`, status: 404, message: 'Workspace not found' },
    { what: 'audit CSV: year 0000', path: `/api/audit/csv?workspaceId=${acme.id}&from=0000-01-01`, status: 400, message: 'From must be between 1970 and 9999' },
    { what: 'audit CSV: NUL in action', path: `/api/audit/csv?workspaceId=${acme.id}&action=%00`, status: 400, message: 'Choose an action' },
    { what: 'run events: run id not an id', path: `/api/runs/nope/events?workspaceId=${acme.id}`, status: 404, message: 'Run not found' },
    { what: 'run events: another workspace\'s run', path: `/api/runs/${globexRun!.id}/events?workspaceId=${acme.id}`, status: 404, message: 'Run not found' },
    { what: 'run events: another workspace', path: `/api/runs/${globexRun!.id}/events?workspaceId=${globex.id}`, status: 404, message: 'Run not found' },
  ];
  for (const row of rows) {
    const response = row.post ? await page.request.post(row.path, row.post) : await page.request.get(row.path);
    const body = await response.text();
    expect(response.status(), `${row.what}: ${body.slice(0, 200)}`).toBe(row.status);
    expect((JSON.parse(body) as { error: { message: string } }).error.message, row.what).toContain(row.message);
    for (const pattern of [...INTERNAL_TEXT, /"code"|"origin"|invalid_format/]) expect(body, `${row.what}: no internal text`).not.toMatch(pattern);
    const headers = response.headers();
    expect(headers['cache-control'], row.what).toBe('no-store');
    expect(headers['content-security-policy'], row.what).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options'], row.what).toBe('nosniff');
  }
  // A stale or hand-made Last-Event-ID starts from the beginning, never fails.
  for (const lastEventId of ['garbage', '9'.repeat(4000), '-1.-1.-1']) {
    const response = await page.request.get(`/api/runs/${run!.id}/events?workspaceId=${acme.id}`, { headers: { 'last-event-id': lastEventId } });
    expect(response.status(), lastEventId.slice(0, 20)).toBe(200);
    expect(response.headers()['cache-control']).toContain('no-store');
  }
  // Paths that are not valid percent-encoding are a plain 400 at the edge (Next.js answered 500).
  for (const path of ['/api/runs/%ZZ/events', '/api/exports/%E0%A4%A', '/w/%E0%A4%A']) {
    const response = await page.request.get(path);
    expect(response.status(), path).toBe(400);
    expect(response.headers()['content-security-policy'], path).toContain("frame-ancestors 'none'");
  }
});
