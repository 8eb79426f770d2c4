// Invitation mail, end to end through the tRPC procedure and a real SMTP socket:
// delivered after the invitation has committed, with the link in it; a mail
// server that cannot be reached leaves the invitation in place and says so in
// the workspace's activity.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRuntimeEnv } from '../env';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { decodedText, startSmtpSink, type SmtpSink } from '../testing/smtp-sink';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { signUp, type AccountSummary } from './accounts';
import { createWorkspace, type WorkspaceSummary } from './workspaces';

let db: TestDatabase;
let sink: SmtpSink;
let owner: AccountSummary;
let workspace: WorkspaceSummary;
/** Whether the invitation was visible to another connection when its mail arrived. */
const committedAtDelivery: boolean[] = [];

async function invitationCommitted(email: string): Promise<boolean> {
  const { rows } = await db.owner.query('SELECT 1 FROM invitations WHERE email = $1', [email]);
  return rows.length === 1;
}

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  db = await createTestDatabase();
  sink = await startSmtpSink(async (message) => {
    committedAtDelivery.push(await invitationCommitted(message.recipients[0]!));
  });
  owner = await signUp({ email: 'owner@mail.test', name: 'Owner', password: 'correct horse battery' });
  workspace = await createWorkspace(owner.id, { name: 'Mailroom' });
});
afterAll(async () => {
  await sink.close();
  await db.stop();
});

const caller = () => createCaller(createContext(owner));

describe('invitation mail', () => {
  it('says nothing is mailed when no mail server is configured', async () => {
    setRuntimeEnv({ SMTP_URL: '' });
    const created = await caller().invitations.create({ workspaceId: workspace.id, email: 'quiet@mail.test', role: 'member' });
    expect(created.emailing).toBe(false);
    expect(sink.messages).toHaveLength(0);
  });

  it('mails the link once the invitation has committed', async () => {
    setRuntimeEnv({ SMTP_URL: sink.url });
    const created = await caller().invitations.create({ workspaceId: workspace.id, email: 'Guest@mail.test', role: 'viewer' });
    expect(created.emailing).toBe(true);
    expect(sink.messages).toHaveLength(1);
    const [message] = sink.messages;
    expect(message!.recipients).toEqual(['guest@mail.test']);
    expect(decodedText(message!)).toContain("Subject: You're invited to Mailroom on Enclave");
    expect(decodedText(message!)).toContain(`Accept the invitation: ${created.url}`);
    expect(committedAtDelivery).toEqual([true]);
  });

  it('keeps the invitation and records the failure when the mail server is unreachable', async () => {
    setRuntimeEnv({ SMTP_URL: `smtp://127.0.0.1:${await closedPort()}` });
    const created = await caller().invitations.create({ workspaceId: workspace.id, email: 'lost@mail.test', role: 'member' });
    expect(created.emailing).toBe(true);
    expect(created.url).toMatch(/\/invite\/[\w-]+$/);
    const pending = await caller().invitations.list({ workspaceId: workspace.id });
    expect(pending.map((i) => i.email)).toContain('lost@mail.test');
    const activity = await caller().workspaces.activity({ workspaceId: workspace.id });
    expect(activity).toContainEqual(expect.objectContaining({ action: 'invitation.email_failed', target: 'lost@mail.test' }));
  });
});
