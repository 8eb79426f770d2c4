// The tools an agent can be given. Built-ins are listed here; custom HTTP tools come
// from the workspace. An agent sees only the tools its version enables, and a call
// to any other name is refused before anything runs.
import { InvalidInput, PolicyViolation } from '../../domain-errors';
import { httpRequestTool } from './http-request';
import { runJavaScriptTool } from './run-javascript';
import { openAIToolDefinition, type OpenAIToolDefinition, type Tool, type ToolContext } from './tool-definition';

export const BUILT_IN_TOOL_NAMES: readonly string[] = ['http_request', 'run_javascript'];

export function builtInTools(): Tool[] {
  return [httpRequestTool, runJavaScriptTool];
}

/** The tools of one agent version, as the runtime uses them. */
export type Toolbox = {
  tools: readonly Tool[];
  /** The `tools` array for the chat-completions request (empty: send no `tools`). */
  definitions: OpenAIToolDefinition[];
  /**
   * Runs one tool call: refuses names not enabled (PolicyViolation), checks the
   * arguments against the schema (InvalidInput), then executes.
   */
  call(name: string, rawArguments: unknown, context: ToolContext): Promise<unknown>;
};

/**
 * Builds the toolbox for the enabled names, from the built-ins and the workspace's
 * custom tools. Unknown names are refused (InvalidInput, field "tools").
 */
export function toolsFor(enabledNames: readonly string[], customTools: readonly Tool[] = [], runtimeTools: readonly Tool[] = []): Toolbox {
  const available = new Map<string, Tool>();
  for (const tool of customTools) available.set(tool.name, tool);
  // Built-ins win over a custom tool that somehow carries the same name.
  for (const tool of builtInTools()) available.set(tool.name, tool);
  const unknown = enabledNames.filter((name) => !available.has(name));
  if (unknown.length > 0) throw new InvalidInput(`Unknown tools: ${unknown.join(', ')}.`, 'tools');
  // Tools the runtime adds from the version's settings (knowledge_search), not chosen by name.
  const tools = [...[...new Set(enabledNames)].map((name) => available.get(name)!), ...runtimeTools];
  return {
    tools,
    definitions: tools.map(openAIToolDefinition),
    async call(name, rawArguments, context) {
      const tool = tools.find((candidate) => candidate.name === name);
      if (!tool) throw new PolicyViolation(`The tool ${name.slice(0, 64)} is not enabled for this agent.`);
      return tool.call(rawArguments, context);
    },
  };
}
