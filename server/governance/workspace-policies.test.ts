// Policy versions against a real database: a save is the next version, audited
// with what changed; stale, empty and unsafe saves are refused with a message;
// history lists changes; and workspace A's policy is invisible to and has no
// effect on workspace B.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWorkspace } from '../db/with-workspace';
import { Conflict, InvalidInput } from '../domain-errors';
import type { Actor } from '../tenancy/members';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { seedTwoWorkspaces, type SeededTenant } from '../testing/two-workspaces';
import { policyInForce } from './policy-cache';
import { DEFAULT_POLICY, policyDocument, type PolicyDocument } from './policy-document';
import { policyHistory, policyOfWorkspace, previewPolicyText, savePolicy } from './workspace-policies';

let db: TestDatabase;
let a: SeededTenant;
let b: SeededTenant;
let ownerA: Actor;

const doc = (input: unknown) => policyDocument.parse(input) as PolicyDocument;

beforeAll(async () => {
  db = await createTestDatabase();
  ({ a, b } = await seedTwoWorkspaces());
  ownerA = { userId: a.owner.id, workspaceId: a.workspace.id, role: 'owner' };
}, 120_000);

afterAll(async () => {
  await db?.stop();
});

describe('saving a policy', () => {
  it('stores the next version, audits what changed, and is the one in force', async () => {
    const before = await withWorkspace(a.workspace.id, (tx) => policyOfWorkspace(tx, a.workspace.id));
    const document = doc({ ...before.document, pii: { actions: { ...before.document.pii.actions, us_ssn: 'block' }, reversible: true } });
    const saved = await withWorkspace(a.workspace.id, (tx) => savePolicy(tx, ownerA, { document, baseVersion: before.version }));
    expect(saved.version).toBe(before.version + 1);

    const inForce = await policyInForce(a.workspace.id);
    expect(inForce.version).toBe(saved.version);
    expect(inForce.document.pii.actions.us_ssn).toBe('block');

    const audit = await withWorkspace(a.workspace.id, (tx) =>
      tx.auditEvent.findFirst({ where: { action: 'policy.updated' }, orderBy: { createdAt: 'desc' }, select: { actorUserId: true, target: true, metadata: true } }),
    );
    expect(audit?.actorUserId).toBe(a.owner.id);
    expect(audit?.target).toBe(`version ${saved.version}`);
    expect((audit?.metadata as { changes: { field: string }[] }).changes.map((c) => c.field).sort()).toEqual(['pii.actions.us_ssn', 'pii.reversible']);

    const history = await withWorkspace(a.workspace.id, (tx) => policyHistory(tx, a.workspace.id));
    expect(history[0]).toMatchObject({ version: saved.version, changes: expect.arrayContaining([{ field: 'pii.actions.us_ssn', before: 'allow', after: 'block' }]) });
    expect(history.map((h) => h.version)).toEqual([saved.version, before.version]);
  });

  it('refuses a save made on top of an older version', async () => {
    const current = await withWorkspace(a.workspace.id, (tx) => policyOfWorkspace(tx, a.workspace.id));
    const stale = withWorkspace(a.workspace.id, (tx) => savePolicy(tx, ownerA, { document: doc({ pii: { reversible: false } }), baseVersion: current.version - 1 }));
    await expect(stale).rejects.toThrow(Conflict);
  });

  it('refuses a save that changes nothing', async () => {
    const current = await withWorkspace(a.workspace.id, (tx) => policyOfWorkspace(tx, a.workspace.id));
    await expect(withWorkspace(a.workspace.id, (tx) => savePolicy(tx, ownerA, { document: current.document, baseVersion: current.version }))).rejects.toThrow(
      'Nothing changed',
    );
  });

  it('refuses catastrophic patterns and unknown providers, naming the field', async () => {
    const current = await withWorkspace(a.workspace.id, (tx) => policyOfWorkspace(tx, a.workspace.id));
    const unsafe = { ...current.document, content: { rules: [{ kind: 'pattern', value: '(a+)+$', appliesTo: 'both' }] } };
    const failure = await withWorkspace(a.workspace.id, (tx) => savePolicy(tx, ownerA, { document: doc(unsafe), baseVersion: current.version })).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(InvalidInput);
    expect((failure as InvalidInput).field).toBe('content.rules.0.value');

    // B's provider is not A's: naming it is refused like any unknown id.
    const foreign = { ...current.document, allowLists: { ...current.document.allowLists, providers: ['local', b.provider.id] } };
    const refused = await withWorkspace(a.workspace.id, (tx) => savePolicy(tx, ownerA, { document: doc(foreign), baseVersion: current.version })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidInput);
    expect((refused as InvalidInput).field).toBe('allowLists.providers');

    const own = { ...current.document, allowLists: { ...current.document.allowLists, providers: ['local', a.provider.id] } };
    const saved = await withWorkspace(a.workspace.id, (tx) => savePolicy(tx, ownerA, { document: doc(own), baseVersion: current.version }));
    expect(saved.document.allowLists.providers).toEqual(['local', a.provider.id]);
  });
});

describe('two workspaces', () => {
  it("never shows or applies A's policy in B", async () => {
    const inA = await policyInForce(a.workspace.id);
    const inB = await policyInForce(b.workspace.id);
    expect(inA.document.pii.actions.us_ssn).toBe('block');
    expect(inB.document.pii.actions.us_ssn).toBe('allow');
    const bHistory = await withWorkspace(b.workspace.id, (tx) => policyHistory(tx, b.workspace.id));
    expect(bHistory.map((h) => h.version)).toEqual([1]);
    // A's versions do not exist under B's tenant context, even when asked for by A's id.
    const leaked = await withWorkspace(b.workspace.id, (tx) => tx.workspacePolicy.findMany({ where: { workspaceId: a.workspace.id } }));
    expect(leaked).toEqual([]);
  });
});

describe('testing text', () => {
  it('shows detections, placeholders and a refusal from a draft', () => {
    const draft = doc({ pii: { actions: { email: 'redact', us_ssn: 'block' } } });
    const preview = previewPolicyText(a.workspace.id, draft, 'Mail jane@example.com from 10.0.0.1', 'input');
    expect(preview.text).toBe('Mail [EMAIL_1] from 10.0.0.1');
    expect(preview.refusal).toBeNull();
    expect(preview.detections.map((d) => [d.type, d.action, d.placeholder])).toEqual([
      ['email', 'redact', '[EMAIL_1]'],
      ['ip_address', 'allow', null],
    ]);
    const blocked = previewPolicyText(a.workspace.id, draft, 'SSN 536-22-8451', 'input');
    expect(blocked.refusal).toBe('The workspace policy blocks US social security numbers in the model input.');
    expect(previewPolicyText(a.workspace.id, DEFAULT_POLICY, 'jane@example.com', 'input').text).toBe('jane@example.com');
  });
});
