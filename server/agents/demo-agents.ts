// The demo workspaces' starting agent: a support assistant whose prompt includes a
// library snippet, published twice (v2 enables run_javascript for refund sums), so
// a newcomer sees a version history and a diff at once. v2 also retrieves from the
// workspace's demo knowledge base automatically, so answers cite its passages.
import { withWorkspace } from '../db/with-workspace';
import type { WorkspaceRole } from '../tenancy/roles';
import type { VersionInput } from './agent-versions';
import { createAgent, publishAgentVersion } from './agents';
import { createSnippet } from './prompt-snippets';

/** Returns the agent's id. */
export async function seedDemoAgents(workspaceId: string, ownerId: string, company: string, knowledgeBaseId: string | null = null): Promise<string> {
  const actor = { userId: ownerId, workspaceId, role: 'owner' as WorkspaceRole };
  return withWorkspace(workspaceId, async (tx) => {
    await createSnippet(tx, actor, {
      name: 'house-style',
      description: 'Tone of voice for every customer-facing agent',
      body: `Write in plain, friendly English. Sign as "The ${company} support team".`,
    });
    const v1: VersionInput = {
      systemPrompt: [
        `You are the support assistant of ${company}.`,
        'Help {{customer_name}} with orders, deliveries and refunds.',
        'Refunds are possible within 30 days of delivery.',
        '{{> house-style}}',
      ].join('\n'),
      variables: [{ name: 'customer_name', default: 'the customer', description: 'Who is asking' }],
      providerId: null,
      model: 'enclave-local-chat',
      temperature: 0.3,
      maxSteps: 6,
      maxRunSeconds: 120,
      tools: [],
      memoryEnabled: false,
      knowledgeBaseIds: [],
      knowledgeMode: 'tool' as const,
      outputSchema: null,
    };
    const agent = await createAgent(tx, actor, { name: 'Support assistant', description: `Answers ${company} customers`, changeNote: 'First version', ...v1 });
    await publishAgentVersion(tx, actor, agent.id, {
      ...v1,
      systemPrompt: v1.systemPrompt.replace(
        'Refunds are possible within 30 days of delivery.',
        'Refunds are possible within 30 days of delivery.\nWork out refund amounts with run_javascript rather than by heart.',
      ),
      tools: ['run_javascript'],
      knowledgeBaseIds: knowledgeBaseId ? [knowledgeBaseId] : [],
      knowledgeMode: knowledgeBaseId ? 'automatic' : 'tool',
      changeNote: knowledgeBaseId ? 'Calculates refunds with run_javascript; answers from the product documentation' : 'Calculates refunds with run_javascript',
    });
    return agent.id;
  });
}
