// Per-workspace custom HTTP tools: a name, description, JSON-schema parameters, a
// method and a URL template whose placeholders fill only the path and query (the
// model never picks the host). An optional auth header is read from a workspace
// secret for each call only; its value never appears in results or errors.
import { z } from 'zod';
import { InvalidInput } from '../../domain-errors';
import { sendGuardedRequest } from '../../net/egress-guard';
import { httpToolResult } from './http-tool-result';
import { compileParameterSchema, type JsonSchema } from './tool-arguments';
import { defineTool, type Tool } from './tool-definition';
import { BUILT_IN_TOOL_NAMES } from './tool-registry';

const PLACEHOLDER = /\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g;

export const customHttpToolDefinitionSchema = z.object({
  name: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'Use 1–64 letters, digits, underscores or hyphens.')
    .refine((name) => !BUILT_IN_TOOL_NAMES.includes(name), 'This name belongs to a built-in tool.'),
  description: z.string().trim().min(1, 'Describe what the tool does; the model reads it.').max(1024),
  parameters: z.record(z.string(), z.unknown()),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  urlTemplate: z.string().min(1).max(2048),
  /** Non-secret headers sent with every call. */
  headers: z.record(z.string().max(128), z.string().max(4096)).default({}),
  /** The header that carries the credential, and the workspace secret it is read from. */
  auth: z
    .object({
      header: z.string().regex(/^[A-Za-z0-9-]{1,128}$/, 'Not a header name.'),
      secretName: z.string().min(1).max(128),
      /** Put before the secret, e.g. "Bearer ". */
      prefix: z.string().max(32).default(''),
    })
    .nullable()
    .default(null),
});

export type CustomHttpToolDefinition = z.infer<typeof customHttpToolDefinitionSchema>;

/** Checks a definition as a workspace admin submits it; throws InvalidInput naming the field. */
export function parseCustomHttpToolDefinition(input: unknown): CustomHttpToolDefinition {
  const parsed = customHttpToolDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.') || 'definition';
    throw new InvalidInput(`${field}: ${issue.message}`, field);
  }
  const definition = parsed.data;
  compileParameterSchema(definition.parameters as JsonSchema);
  checkUrlTemplate(definition);
  return definition;
}

/** The runtime's view of a custom tool; the definition should come from parseCustomHttpToolDefinition. */
export function customHttpTool(definition: CustomHttpToolDefinition): Tool {
  checkUrlTemplate(definition);
  return defineTool<Record<string, unknown>>({
    name: definition.name,
    description: definition.description,
    parameters: definition.parameters as JsonSchema,
    async execute(args, context) {
      const { url, rest } = fillUrlTemplate(definition.urlTemplate, args);
      const sendsBody = definition.method === 'POST' || definition.method === 'PUT' || definition.method === 'PATCH';
      if (!sendsBody) for (const [key, value] of Object.entries(rest)) url.searchParams.set(key, typeof value === 'string' ? value : JSON.stringify(value));
      const auth = definition.auth;
      // Decrypted only once the request has passed the egress checks and is about to be sent.
      let secret: string | null = null;
      const secretHeaders = async () => {
        if (!auth) return {};
        secret = await context.revealSecret(auth.secretName);
        return { [auth.header]: `${auth.prefix}${secret}` };
      };
      const headers: Record<string, string> = { ...definition.headers };
      if (sendsBody) headers['content-type'] = 'application/json';
      const response = await sendGuardedRequest(
        {
          url,
          method: definition.method,
          headers,
          secretHeaders,
          body: sendsBody ? JSON.stringify(rest) : undefined,
        },
        { policy: context.egress.policy, adapters: context.egress.adapters, limits: context.egress.limits, signal: context.signal },
      );
      return httpToolResult(response, { secrets: secret ? [secret] : [] });
    },
  });
}

/** The host a (checked) URL template calls, as the URL parser spells it (punycode, IPv6 in brackets). */
export function urlTemplateHost(template: string): string {
  return new URL(template.replace(PLACEHOLDER, 'x')).hostname;
}

/** Placeholders only after the origin, each one a required parameter. */
function checkUrlTemplate(definition: Pick<CustomHttpToolDefinition, 'urlTemplate' | 'parameters'>): void {
  const template = definition.urlTemplate;
  const originEnd = template.indexOf('/', template.indexOf('//') + 2);
  const origin = originEnd === -1 ? template : template.slice(0, originEnd);
  if (origin.includes('{') || origin.includes('}')) {
    throw new InvalidInput('Placeholders may fill the path and query only, not the scheme, host or port.', 'urlTemplate');
  }
  let sample: URL;
  try {
    sample = new URL(template.replace(PLACEHOLDER, 'x'));
  } catch {
    throw new InvalidInput('The URL template is not a valid absolute URL.', 'urlTemplate');
  }
  if (sample.protocol !== 'http:' && sample.protocol !== 'https:') {
    throw new InvalidInput('The URL template must start with http:// or https://.', 'urlTemplate');
  }
  if (sample.username || sample.password) {
    throw new InvalidInput('Put credentials in the auth header, not in the URL.', 'urlTemplate');
  }
  const required = Array.isArray(definition.parameters.required) ? (definition.parameters.required as unknown[]) : [];
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (!required.includes(name)) {
      throw new InvalidInput(`The placeholder {${name}} must be a required parameter.`, 'urlTemplate');
    }
  }
}

/** Fills placeholders with URL-encoded values; the arguments not used go to the query or body. */
function fillUrlTemplate(template: string, args: Record<string, unknown>): { url: URL; rest: Record<string, unknown> } {
  const rest = { ...args };
  const filled = template.replace(PLACEHOLDER, (_, name: string) => {
    const value = args[name];
    delete rest[name];
    return encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value));
  });
  return { url: new URL(filled), rest };
}
