// An agent sees only the tools its version enables, as OpenAI tool definitions, and
// calls to anything else are refused before they run.
import { describe, expect, it } from 'vitest';
import { InvalidInput, PolicyViolation } from '../../domain-errors';
import { recordingEgress } from '../../testing/recording-egress';
import { testToolContext } from '../../testing/tool-context';
import { customHttpTool, parseCustomHttpToolDefinition } from './custom-http-tool';
import { toolsFor } from './tool-registry';

const weather = customHttpTool(
  parseCustomHttpToolDefinition({
    name: 'weather',
    description: 'Current weather for a city.',
    parameters: { type: 'object', properties: { city: { type: 'string', maxLength: 80 } }, required: ['city'] },
    method: 'GET',
    urlTemplate: 'https://weather.example/v1/{city}',
  }),
);

describe('tool registry', () => {
  it('exposes exactly the enabled tools as OpenAI tool definitions', () => {
    const toolbox = toolsFor(['run_javascript', 'weather'], [weather]);
    expect(toolbox.definitions.map((d) => d.function.name)).toEqual(['run_javascript', 'weather']);
    expect(toolbox.definitions[0]).toMatchObject({ type: 'function', function: { parameters: { type: 'object', required: ['code'] } } });
    expect(toolsFor([]).definitions).toEqual([]);
  });

  it('refuses unknown names when building and calls to tools not enabled', async () => {
    expect(() => toolsFor(['weather'])).toThrow(InvalidInput);
    expect(() => toolsFor(['shell'])).toThrow('Unknown tools: shell.');
    const egress = recordingEgress({});
    const toolbox = toolsFor(['run_javascript']);
    await expect(toolbox.call('http_request', { url: 'http://127.0.0.1/' }, testToolContext({ adapters: egress.adapters }))).rejects.toBeInstanceOf(PolicyViolation);
    expect(egress.dialled).toEqual([]);
  });

  it('runs an enabled tool with arguments as the model sends them', async () => {
    const egress = recordingEgress({});
    const toolbox = toolsFor(['run_javascript']);
    const result = await toolbox.call('run_javascript', '{"code": "console.log(\'hi\'); [1,2,3].map((x) => x * x)"}', testToolContext({ adapters: egress.adapters }));
    expect(result).toEqual({ result: [1, 4, 9], console: ['hi'] });
    const failing = await toolbox.call('run_javascript', { code: 'nope(' }, testToolContext({ adapters: egress.adapters }));
    expect(failing).toMatchObject({ error: expect.stringMatching(/^SyntaxError/), console: [] });
    await expect(toolbox.call('run_javascript', { code: '' }, testToolContext({ adapters: egress.adapters }))).rejects.toThrow(
      'Invalid arguments for run_javascript: code must NOT have fewer than 1 characters.',
    );
  });
});
