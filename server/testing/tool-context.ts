// A tool-call context for tests: egress through a recording connector unless a test
// passes real adapters, the real sandbox, and secrets from a table whose reveals are counted.
import type { EgressAdapters } from '../net/egress-guard';
import type { EgressPolicy } from '../net/egress-policy';
import { createQuickJsSandbox } from '../agents/tools/javascript-sandbox';
import type { ToolContext } from '../agents/tools/tool-definition';
import { NotFound } from '../domain-errors';

// One pool for the whole test file: each call still gets a fresh QuickJS runtime.
const sandbox = createQuickJsSandbox();

export type TestToolContext = ToolContext & { revealed: string[] };

export function testToolContext(options: {
  adapters: EgressAdapters;
  policy?: EgressPolicy;
  secrets?: Record<string, string>;
  workspaceId?: string;
}): TestToolContext {
  const revealed: string[] = [];
  return {
    workspaceId: options.workspaceId ?? 'workspace-under-test',
    egress: { policy: options.policy ?? { allowedHosts: [], allowPrivateAddresses: false }, adapters: options.adapters },
    sandbox,
    signal: new AbortController().signal,
    revealed,
    async revealSecret(name) {
      revealed.push(name);
      const value = options.secrets?.[name];
      if (value === undefined) throw new NotFound(`No secret named ${name} in this workspace.`);
      return value;
    },
  };
}
