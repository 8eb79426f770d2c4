// Two seeded workspaces whose agents reach only the built-in model, and a
// gateway to a local model server a test starts. The seeded providers point at
// made-up hosts; removing them makes every route fall back to the built-in model.
import { withWorkspace } from '../db/with-workspace';
import { createGateway, systemClock, type Gateway } from '../llm/gateway';
import { deleteProvider } from '../llm/providers';
import { nodeEgressAdapters } from '../net/node-egress-adapters';
import type { Actor } from '../tenancy/members';
import { seedTwoWorkspaces, type SeededTenant } from './two-workspaces';

/** A tenant's owner as the actor domain functions take. */
export const ownerOf = (t: SeededTenant): Actor => ({ userId: t.owner.id, workspaceId: t.workspace.id, role: 'owner' });

/** Seeds both workspaces (see two-workspaces.ts) and removes their seeded providers. */
export async function seedTenantsOnLocalModel(): Promise<{ a: SeededTenant; b: SeededTenant; ownerA: Actor; ownerB: Actor }> {
  const { a, b } = await seedTwoWorkspaces();
  const [ownerA, ownerB] = [ownerOf(a), ownerOf(b)];
  for (const [t, actor] of [[a, ownerA], [b, ownerB]] as const) {
    await withWorkspace(t.workspace.id, (tx) => deleteProvider(tx, actor, t.provider.id));
  }
  return { a, b, ownerA, ownerB };
}

/** A gateway whose built-in model is the local model server at `baseUrl`, reached over loopback. */
export function localModelGateway(baseUrl: string, timeoutMs = 30_000): Gateway {
  return createGateway({ clock: systemClock, egressAdapters: nodeEgressAdapters, localModel: () => ({ baseUrl, timeoutMs }) });
}
