// OTLP/HTTP export against a loopback collector this test starts: nothing is
// sent while no endpoint is set; with one, a real run (local model over HTTP, a
// call of a custom tool whose auth header comes from a vault secret) arrives as spans with
// the stored trace and span ids, parent/child links, gen_ai.* attributes and the
// workspace id — and neither the planted secret value nor the prompt or answer
// text is in the payload or in trace_spans. A `npm run worker` process exports too.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../agents/agents';
import { claimNextRun } from '../agents/claim-order';
import { NEW_AGENT_DEFAULTS } from '../agents/new-agent-defaults';
import { executeRun } from '../agents/run-loop';
import { runById, startRun } from '../agents/runs';
import { createQuickJsSandbox } from '../agents/tools/javascript-sandbox';
import { withWorkspace } from '../db/with-workspace';
import type { Gateway } from '../llm/gateway';
import { startLocalModelServer, type LocalModelServer } from '../llm/local-model/local-model-server';
import { nodeEgressAdapters } from '../net/node-egress-adapters';
import type { Actor } from '../tenancy/members';
import { recordingEgress, type RecordingEgress } from '../testing/recording-egress';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { localModelGateway, seedTenantsOnLocalModel } from '../testing/local-model-tenants';
import type { SeededTenant } from '../testing/two-workspaces';
import { exportSpans, flushTraceExport, startTraceExport, stopTraceExport } from './otel-export';
import { runSpanIdOf, stepSpanIdOf, traceIdOfRun } from './trace-ids';

type OtlpValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean; arrayValue?: { values: OtlpValue[] } };
type OtlpAttribute = { key: string; value: OtlpValue };
type OtlpSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpAttribute[];
  status?: { code?: number; message?: string };
};
type OtlpRequest = { resourceSpans: { resource: { attributes: OtlpAttribute[] }; scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[] }[] };
type ReceivedSpan = OtlpSpan & { service: string; attrs: Record<string, unknown> };

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let ownerA: Actor;
let model: LocalModelServer;
let gateway: Gateway;
let collector: Server;
let collectorUrl: string;
const sandbox = createQuickJsSandbox();
const bodies: string[] = [];
const children: ChildProcess[] = [];
let orderApi: RecordingEgress;

const QUESTION = 'Please use order_lookup with order_id 4242 for my parcel to Reykjavik';

function valueOf(value: OtlpValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return value.arrayValue.values.map(valueOf);
  return undefined;
}

function attributesOf(list: OtlpAttribute[]): Record<string, unknown> {
  return Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));
}

/** Every span the collector has received so far. */
function receivedSpans(): ReceivedSpan[] {
  return bodies.flatMap((body) =>
    (JSON.parse(body) as OtlpRequest).resourceSpans.flatMap((rs) => {
      const service = String(attributesOf(rs.resource.attributes)['service.name']);
      return rs.scopeSpans.flatMap((ss) => ss.spans.map((span) => ({ ...span, service, attrs: attributesOf(span.attributes) })));
    }),
  );
}

async function until<T>(what: string, probe: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function runToEnd(agentId: string, input: string, egress = nodeEgressAdapters) {
  const run = await withWorkspace(a.workspace.id, (tx) => startRun(tx, ownerA, { agentId, input }));
  const claimed = await claimNextRun('worker-otlp', 5_000);
  expect(claimed?.id).toBe(run.id);
  await executeRun({ gateway, sandbox, egressAdapters: egress, workerId: 'worker-otlp', leaseMs: 5_000 }, claimed!);
  return run;
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b, ownerA } = await seedTenantsOnLocalModel());
  model = await startLocalModelServer({ port: 0 });
  gateway = localModelGateway(model.url);
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces' && req.method === 'POST' && String(req.headers['content-type']).startsWith('application/json')) bodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  // The seeded order_lookup tool calls api.alpha.example with the vault secret as its bearer token.
  orderApi = recordingEgress({ 'api.alpha.example': ['93.184.215.14'] }, () => ({
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ order: '4242', status: 'shipped' }),
  }));
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await stopTraceExport();
  await sandbox.close();
  await model?.stop();
  await new Promise((resolve) => collector?.close(resolve));
  await db?.stop();
});

describe('trace export over OTLP/HTTP', () => {
  it('sends nothing while no endpoint is set', async () => {
    const run = await runToEnd(a.agent.id, 'What do you know?');
    const { rows } = await db.owner.query('SELECT span_id FROM trace_spans WHERE run_id = $1', [run.id]);
    expect(rows.length).toBeGreaterThan(0);
    exportSpans([null]);
    await flushTraceExport();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bodies).toEqual([]);
  });

  it('exports a run with a tool call: stored ids, parent and child, gen_ai attributes, the workspace, and no secret or content', async () => {
    startTraceExport({ endpoint: collectorUrl, serviceName: 'enclave-otlp-test', scheduledDelayMs: 50 });
    const run = await runToEnd(a.agent.id, QUESTION, orderApi.adapters);
    const done = await withWorkspace(a.workspace.id, (tx) => runById(tx, a.workspace.id, run.id));
    expect(done.status).toBe('succeeded');
    // The tool step holds the content (the arguments the model took from the question); its span must not.
    expect(done.steps[1]).toMatchObject({ kind: 'tool', toolName: 'order_lookup', toolArgs: { order_id: '4242' } });
    // On this branch a run's tools may reach no host yet (the run's egress allow-list is empty), so the
    // guard refuses the call before the secret is decrypted; the check below holds either way.
    expect(orderApi.dialled.every((d) => d.headers.authorization === `Bearer ${a.secretValue}`)).toBe(true);

    await flushTraceExport();
    const spans = await until('the run span to arrive', () => {
      const all = receivedSpans().filter((s) => s.traceId === traceIdOfRun(run.id));
      return all.length === 4 && all;
    });
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['enclave-otlp-test']));
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const root = byId.get(runSpanIdOf(run.id))!;
    expect(root).toBeDefined();
    expect(root.parentSpanId ?? '').toBe('');
    expect(root.name).toBe(`invoke_agent ${a.agent.name}`);
    expect(root.attrs).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.id': a.agent.id,
      'gen_ai.agent.name': a.agent.name,
      'enclave.workspace.id': a.workspace.id,
      'enclave.run.id': run.id,
    });
    const children = [0, 1, 2].map((i) => byId.get(stepSpanIdOf(run.id, i))!);
    expect(children.map((s) => [s.name, s.parentSpanId])).toEqual([
      ['chat enclave-local-chat', root.spanId],
      ['execute_tool order_lookup', root.spanId],
      ['chat enclave-local-chat', root.spanId],
    ]);
    expect(children[0]!.attrs).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'enclave-local-chat',
      'gen_ai.response.model': 'enclave-local-chat',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.usage.input_tokens': done.steps[0]!.inputTokens,
      'gen_ai.usage.output_tokens': done.steps[0]!.outputTokens,
      'gen_ai.response.finish_reasons': ['tool_calls'],
      'enclave.workspace.id': a.workspace.id,
      'enclave.step.index': 0,
    });
    expect(children[0]!.attrs['gen_ai.provider.name']).toEqual(expect.any(String));
    expect(children[1]!.attrs).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'order_lookup',
      'gen_ai.tool.call.id': done.steps[0]!.toolCalls[0]!.id,
      'enclave.workspace.id': a.workspace.id,
    });
    // Timings are the stored ones.
    const { rows: stored } = await db.owner.query<{ span_id: string; started_at: Date; ended_at: Date }>(
      'SELECT span_id, started_at, ended_at FROM trace_spans WHERE run_id = $1',
      [run.id],
    );
    expect(stored).toHaveLength(4);
    for (const row of stored) {
      const sent = byId.get(row.span_id)!;
      expect(BigInt(sent.startTimeUnixNano) / 1_000_000n).toBe(BigInt(row.started_at.getTime()));
      expect(BigInt(sent.endTimeUnixNano) / 1_000_000n).toBe(BigInt(row.ended_at.getTime()));
    }

    // The vault's value, the question and the answer are in neither the payload nor trace_spans.
    const { rows: spanDump } = await db.owner.query<{ row: string }>('SELECT to_jsonb(t)::text AS row FROM trace_spans t');
    const haystacks = [...bodies, ...spanDump.map((r) => r.row)];
    const forms = (value: string) => [value, Buffer.from(value).toString('hex'), Buffer.from(value).toString('base64').slice(0, 24)];
    for (const needle of [...forms(a.secretValue), ...forms(b.secretValue), 'Reykjavik', '{"order_id":"4242"}', done.output!.slice(0, 40)]) {
      expect(haystacks.filter((h) => h.includes(needle)), `"${needle}" leaked`).toEqual([]);
    }
  });

  it('exports from a `npm run worker` process too', async () => {
    const agentId = await withWorkspace(a.workspace.id, async (tx) =>
      (await createAgent(tx, ownerA, { ...NEW_AGENT_DEFAULTS, providerId: null, name: 'Worker calculator', description: '', changeNote: '', tools: ['run_javascript'] })).id,
    );
    const run = await withWorkspace(a.workspace.id, (tx) => startRun(tx, ownerA, { agentId, input: 'use run_javascript with code 6*7' }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], {
      cwd: process.cwd(),
      env: {
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        LOCAL_MODEL_HOST: '127.0.0.1',
        LOCAL_MODEL_PORT: String(model.port),
        RUN_POLL_MS: '50',
        RUN_WORKER_CONCURRENCY: '1',
        OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
        OTEL_SERVICE_NAME: 'enclave-worker-test',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const spans = await until(
      'the worker to export the run',
      () => {
        if (child.exitCode !== null) throw new Error(`the worker exited: ${output}`);
        const all = receivedSpans().filter((s) => s.traceId === traceIdOfRun(run.id));
        return all.some((s) => s.spanId === runSpanIdOf(run.id)) && all;
      },
      60_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; worker output: ${output}`);
    });
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['enclave-worker-test']));
    expect(spans.map((s) => s.name).sort()).toEqual(['chat enclave-local-chat', 'chat enclave-local-chat', 'execute_tool run_javascript', 'invoke_agent Worker calculator']);
    expect(spans.every((s) => s.attrs['enclave.workspace.id'] === a.workspace.id)).toBe(true);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }, 90_000);
});
