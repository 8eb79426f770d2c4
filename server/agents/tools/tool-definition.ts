// What a tool is to the agent runtime: a name, a description and a JSON-schema for
// its parameters (sent to the model as an OpenAI `tools` entry), and a call that
// checks the arguments against that schema before anything runs.
import type { EgressAdapters, EgressLimits } from '../../net/egress-guard';
import type { EgressPolicy } from '../../net/egress-policy';
import { InvalidInput } from '../../domain-errors';
import { compileParameterSchema, validatedArguments, type JsonSchema } from './tool-arguments';
import type { JavaScriptSandbox } from './javascript-sandbox';
import type { SearchHit } from '../../knowledge/hybrid-search';
import type { RecalledMemory } from '../../memory/memory-items';

/** Everything a tool call may use; the runtime builds one per call. */
export type ToolContext = {
  workspaceId: string;
  /** The workspace's egress policy and the adapters that dial (recording ones in tests). */
  egress: { policy: EgressPolicy; adapters: EgressAdapters; limits?: Partial<EgressLimits> };
  sandbox: JavaScriptSandbox;
  /** Decrypts one named workspace secret for this call only (the vault audits each call). */
  revealSecret: (secretName: string) => Promise<string>;
  /** Aborted on run cancel or timeout. */
  signal: AbortSignal;
  /** The version's knowledge bases, searched for this run (present when the version has any). */
  knowledge?: { search(query: string, limit: number): Promise<SearchHit[]> };
  /** The long-term memory of the run's end user with this agent (present when the version turns memory on and the run names an end user). */
  memory?: { save(text: string): Promise<{ id: string; text: string }>; recall(query: string, limit: number): Promise<RecalledMemory[]> };
};

/** An entry of the OpenAI chat-completions `tools` array. */
export type OpenAIToolDefinition = {
  type: 'function';
  function: { name: string; description: string; parameters: JsonSchema };
};

export type Tool = {
  name: string;
  description: string;
  parameters: JsonSchema;
  /**
   * Validates the raw arguments (the model's JSON string or an object), then runs.
   * Returns a JSON-serialisable result for the model; throws domain errors
   * (InvalidInput for bad arguments, PolicyViolation, LimitExceeded, UpstreamFailure).
   */
  call(rawArguments: unknown, context: ToolContext): Promise<unknown>;
};

export type ToolSpec<Args> = {
  name: string;
  description: string;
  parameters: JsonSchema;
  execute(args: Args, context: ToolContext): Promise<unknown>;
};

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** Builds a tool whose schema is compiled once and enforced on every call. */
export function defineTool<Args>(spec: ToolSpec<Args>): Tool {
  if (!TOOL_NAME.test(spec.name)) {
    throw new InvalidInput('A tool name is 1–64 letters, digits, underscores or hyphens.', 'name');
  }
  const validate = compileParameterSchema(spec.parameters);
  return {
    name: spec.name,
    description: spec.description,
    parameters: spec.parameters,
    call: async (rawArguments, context) => spec.execute(validatedArguments<Args>(spec.name, validate, rawArguments), context),
  };
}

export function openAIToolDefinition(tool: Tool): OpenAIToolDefinition {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } };
}
