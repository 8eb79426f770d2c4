// The http_request tool: any method to any URL the workspace's egress policy allows,
// through the egress guard (allow-list, address rules after resolution and on every
// redirect, timeout, size cap). Returns status, selected headers and the text body.
import { sendGuardedRequest } from '../../net/egress-guard';
import { httpToolResult } from './http-tool-result';
import { defineTool } from './tool-definition';

type Args = { url: string; method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD'; headers?: Record<string, string>; body?: string };

export const httpRequestTool = defineTool<Args>({
  name: 'http_request',
  description:
    "Sends an HTTP request and returns the status, main headers and the body as text (long bodies are cut). Only hosts on the workspace's allow-list can be reached.",
  parameters: {
    type: 'object',
    properties: {
      url: { type: 'string', minLength: 1, maxLength: 2048, description: 'Absolute http(s) URL.' },
      method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'], default: 'GET' },
      headers: {
        type: 'object',
        additionalProperties: { type: 'string', maxLength: 8192 },
        maxProperties: 32,
        propertyNames: { maxLength: 128 },
        description: 'Request headers, name to value.',
      },
      body: { type: 'string', maxLength: 65536, description: 'Request body (e.g. JSON text); not sent with GET or HEAD.' },
    },
    required: ['url'],
    additionalProperties: false,
  },
  async execute(args, context) {
    const response = await sendGuardedRequest(
      { url: args.url, method: args.method, headers: args.headers, body: args.method === 'GET' || args.method === 'HEAD' ? undefined : args.body },
      { policy: context.egress.policy, adapters: context.egress.adapters, limits: context.egress.limits, signal: context.signal },
    );
    return httpToolResult(response);
  },
});
