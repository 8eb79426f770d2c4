// Custom HTTP tools: definitions are checked when saved, the model fills only the path
// and query, the auth secret is revealed per call and never returned or echoed, and
// SSRF through them is refused like through http_request.
import { describe, expect, it } from 'vitest';
import { InvalidInput, NotFound, PolicyViolation } from '../../domain-errors';
import { recordingEgress } from '../../testing/recording-egress';
import { testToolContext } from '../../testing/tool-context';
import { customHttpTool, parseCustomHttpToolDefinition } from './custom-http-tool';

const SECRET = 'sk-planted-custom-tool-secret';
const DNS = { 'api.shop.example': ['93.184.216.34'], 'internal.shop.example': ['10.9.8.7'] };
const policy = { allowedHosts: ['api.shop.example', 'internal.shop.example'], allowPrivateAddresses: false };

const orderLookup = {
  name: 'order_lookup',
  description: 'Looks up an order by id.',
  parameters: {
    type: 'object',
    properties: { order_id: { type: 'string', maxLength: 64 }, expand: { type: 'boolean' } },
    required: ['order_id'],
    additionalProperties: false,
  },
  method: 'GET',
  urlTemplate: 'https://api.shop.example/orders/{order_id}',
  auth: { header: 'Authorization', secretName: 'shop-api-key', prefix: 'Bearer ' },
};

function inputError(input: unknown): InvalidInput {
  try {
    parseCustomHttpToolDefinition(input);
  } catch (error) {
    if (error instanceof InvalidInput) return error;
    throw error;
  }
  throw new Error('expected the definition to be refused');
}

describe('custom HTTP tool definitions', () => {
  it('accepts a sound definition and fills defaults', () => {
    const definition = parseCustomHttpToolDefinition(orderLookup);
    expect(definition.headers).toEqual({});
    expect(definition.auth).toEqual({ header: 'Authorization', secretName: 'shop-api-key', prefix: 'Bearer ' });
  });

  it.each([
    ['a built-in name', { name: 'http_request' }, 'name'],
    ['a name with spaces', { name: 'order lookup' }, 'name'],
    ['a placeholder in the host', { urlTemplate: 'https://{tenant}.shop.example/orders/{order_id}' }, 'urlTemplate'],
    ['a placeholder in the scheme', { urlTemplate: '{scheme}://api.shop.example/{order_id}' }, 'urlTemplate'],
    ['a non-http template', { urlTemplate: 'ftp://api.shop.example/{order_id}' }, 'urlTemplate'],
    ['credentials in the template', { urlTemplate: 'https://user:pw@api.shop.example/{order_id}' }, 'urlTemplate'],
    ['an optional placeholder', { urlTemplate: 'https://api.shop.example/orders/{order_id}/{expand}' }, 'urlTemplate'],
    ['a non-object schema', { parameters: { type: 'string' } }, 'parameters'],
    ['an invalid schema', { parameters: { type: 'object', properties: { a: { type: 'nonsense' } } } }, 'parameters'],
    ['an unbounded pattern', { parameters: { type: 'object', properties: { a: { type: 'string', pattern: '^(a+)+$' } } } }, 'parameters'],
    ['an unknown method', { method: 'TRACE' }, 'method'],
    ['a bad auth header name', { auth: { header: 'Bad Header', secretName: 's' } }, 'auth.header'],
  ])('refuses %s, naming the field', (_case, change, field) => {
    expect(inputError({ ...orderLookup, ...change }).field).toBe(field);
  });
});

describe('custom HTTP tool calls', () => {
  it('fills the template, sends the secret header and never returns the secret', async () => {
    const egress = recordingEgress(DNS, (dial) => ({
      headers: { 'content-type': 'application/json' },
      // An API that echoes the credential it was sent.
      body: JSON.stringify({ id: dial.url.pathname, seenAuth: dial.headers.authorization }),
    }));
    const context = testToolContext({ adapters: egress.adapters, policy, secrets: { 'shop-api-key': SECRET } });
    const tool = customHttpTool(parseCustomHttpToolDefinition(orderLookup));
    const result = await tool.call('{"order_id": "A/42 x", "expand": true}', context);
    expect(egress.dialled).toHaveLength(1);
    expect(egress.dialled[0]!.url.toString()).toBe('https://api.shop.example/orders/A%2F42%20x?expand=true');
    expect(egress.dialled[0]!.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(context.revealed).toEqual(['shop-api-key']);
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(JSON.stringify(result)).toContain('[redacted]');
  });

  it('sends the unused arguments as a JSON body for POST', async () => {
    const egress = recordingEgress(DNS);
    const tool = customHttpTool(
      parseCustomHttpToolDefinition({ ...orderLookup, name: 'refund', method: 'POST', urlTemplate: 'https://api.shop.example/orders/{order_id}/refunds', auth: null }),
    );
    await tool.call({ order_id: '7', expand: false }, testToolContext({ adapters: egress.adapters, policy }));
    const dial = egress.dialled[0]!;
    expect(dial.method).toBe('POST');
    expect(dial.headers['content-type']).toBe('application/json');
    expect(new TextDecoder().decode(dial.body)).toBe('{"expand":false}');
  });

  it('checks arguments before revealing the secret or dialling', async () => {
    const egress = recordingEgress(DNS);
    const context = testToolContext({ adapters: egress.adapters, policy, secrets: { 'shop-api-key': SECRET } });
    const tool = customHttpTool(parseCustomHttpToolDefinition(orderLookup));
    await expect(tool.call({ order_id: 5 }, context)).rejects.toThrow('Invalid arguments for order_lookup: order_id must be string.');
    await expect(tool.call({}, context)).rejects.toBeInstanceOf(InvalidInput);
    expect(context.revealed).toEqual([]);
    expect(egress.dialled).toEqual([]);
  });

  it('refuses SSRF targets without leaking the secret into the error', async () => {
    const internal = customHttpTool(
      parseCustomHttpToolDefinition({ ...orderLookup, urlTemplate: 'http://internal.shop.example/orders/{order_id}' }),
    );
    const egress = recordingEgress(DNS);
    const context = testToolContext({ adapters: egress.adapters, policy, secrets: { 'shop-api-key': SECRET } });
    const error = await internal.call({ order_id: '1' }, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyViolation);
    expect((error as Error).message).toContain('10.9.8.7');
    expect(JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack })).not.toContain(SECRET);
    expect(egress.dialled).toEqual([]);
    // A refused request decrypts nothing.
    expect(context.revealed).toEqual([]);

    const decimal = customHttpTool(parseCustomHttpToolDefinition({ ...orderLookup, urlTemplate: 'http://2130706433/orders/{order_id}' }));
    await expect(decimal.call({ order_id: '1' }, testToolContext({ adapters: egress.adapters, policy: { allowedHosts: ['*'], allowPrivateAddresses: false } }))).rejects.toBeInstanceOf(PolicyViolation);
    expect(egress.dialled).toEqual([]);
  });

  it('drops the secret header when the API redirects elsewhere, and refuses a redirect to a private address', async () => {
    const egress = recordingEgress({ ...DNS, 'cdn.example.net': ['93.184.216.35'] }, (dial) =>
      dial.url.hostname === 'api.shop.example' ? { status: 302, headers: { location: 'https://cdn.example.net/file' } } : { body: 'file' },
    );
    const tool = customHttpTool(parseCustomHttpToolDefinition(orderLookup));
    const context = testToolContext({ adapters: egress.adapters, policy: { allowedHosts: ['*'], allowPrivateAddresses: false }, secrets: { 'shop-api-key': SECRET } });
    await tool.call({ order_id: '1' }, context);
    expect(egress.dialled.map((d) => [d.url.hostname, d.headers.authorization])).toEqual([
      ['api.shop.example', `Bearer ${SECRET}`],
      ['cdn.example.net', undefined],
    ]);

    const toPrivate = recordingEgress(DNS, () => ({ status: 307, headers: { location: 'http://internal.shop.example/' } }));
    await expect(
      tool.call({ order_id: '1' }, testToolContext({ adapters: toPrivate.adapters, policy, secrets: { 'shop-api-key': SECRET } })),
    ).rejects.toBeInstanceOf(PolicyViolation);
    expect(toPrivate.dialled).toHaveLength(1);
  });

  it('reports a missing secret by name only', async () => {
    const egress = recordingEgress(DNS);
    const tool = customHttpTool(parseCustomHttpToolDefinition(orderLookup));
    await expect(tool.call({ order_id: '1' }, testToolContext({ adapters: egress.adapters, policy }))).rejects.toBeInstanceOf(NotFound);
    expect(egress.dialled).toEqual([]);
  });
});
