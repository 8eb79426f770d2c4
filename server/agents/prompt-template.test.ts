// Templates: variables and includes parse, bad braces and unknown or looping includes
// are refused with the line, and rendering fills values, then defaults, then reports.
import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../domain-errors';
import { expandTemplate, includedSnippets, parseTemplate, renderSystemPrompt, usedVariables } from './prompt-template';

function refusal(fn: () => unknown): InvalidInput {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidInput) return error;
    throw error;
  }
  throw new Error('expected InvalidInput');
}

const library = new Map([
  ['tone', 'Be kind to {{ customer }}.'],
  ['policy', 'Refunds within 30 days.\n{{> tone}}'],
]);

describe('parseTemplate', () => {
  it('splits text, variables (spaces allowed) and includes, and leaves single braces alone', () => {
    expect(parseTemplate('Hi {{ name }}! {{> tone}} JSON: {"a": 1}')).toEqual([
      { kind: 'text', text: 'Hi ' },
      { kind: 'variable', name: 'name' },
      { kind: 'text', text: '! ' },
      { kind: 'include', name: 'tone' },
      { kind: 'text', text: ' JSON: {"a": 1}' },
    ]);
  });

  it.each([
    ['Hello {{name', '"{{" without a matching "}}" (line 1)'],
    ['line one\nHello name}}', '"}}" without a matching "{{" (line 2)'],
    ['{{ {{name}}', '"{{" without a matching "}}"'],
    ['{{first name}}', 'use {{variable_name}} or {{> snippet-name}}'],
    ['{{}}', 'use {{variable_name}}'],
    ['{{> Bad Name}}', 'not a snippet name'],
  ])('refuses %j', (template, message) => {
    const error = refusal(() => parseTemplate(template));
    expect(error.message).toContain(message);
    expect(error.field).toBe('systemPrompt');
  });
});

describe('includes', () => {
  it('resolves nested includes and collects their variables', () => {
    expect(usedVariables('Policy: {{> policy}} Order {{order_id}}', library)).toEqual(['customer', 'order_id']);
    expect(includedSnippets('{{> policy}} and {{> tone}} and {{> policy}}')).toEqual(['policy', 'tone']);
  });

  it('refuses an unknown snippet, a loop and a self-include', () => {
    expect(refusal(() => expandTemplate('{{> missing}}', library)).message).toBe('The prompt library has no snippet named "missing".');
    const looping = new Map([
      ['a', 'A {{> b}}'],
      ['b', 'B {{> a}}'],
    ]);
    expect(refusal(() => expandTemplate('{{> a}}', looping)).message).toContain('{{> a}} → {{> b}} → {{> a}}');
    expect(refusal(() => expandTemplate('{{> me}}', new Map([['me', '{{> me}}']]))).message).toContain('loop');
  });

  it('stops at a nesting depth of 8', () => {
    const deep = new Map(Array.from({ length: 12 }, (_, i) => [`s${i}`, `{{> s${i + 1}}}`] as [string, string]));
    deep.set('s12', 'end');
    expect(refusal(() => expandTemplate('{{> s0}}', deep)).message).toContain('nested more than 8 deep');
  });
});

describe('renderSystemPrompt', () => {
  const version = {
    systemPrompt: 'You help {{company}}.\n{{> policy}}\nTicket: {{ticket}}',
    variables: [
      { name: 'company', default: 'Acme', description: '' },
      { name: 'customer', default: null, description: '' },
      { name: 'ticket', default: '', description: '' },
    ],
  };

  it('uses given values, then defaults, and reports variables with neither', () => {
    expect(renderSystemPrompt(version, { customer: 'Dana' }, library)).toEqual({
      text: 'You help Acme.\nRefunds within 30 days.\nBe kind to Dana.\nTicket: ',
      missingVariables: [],
    });
    const rendered = renderSystemPrompt(version, { company: 'Globex' }, library);
    expect(rendered.text).toBe('You help Globex.\nRefunds within 30 days.\nBe kind to .\nTicket: ');
    expect(rendered.missingVariables).toEqual(['customer']);
  });

  it('does not read values from the prototype chain', () => {
    const rendered = renderSystemPrompt({ systemPrompt: '{{constructor}}', variables: [] }, {}, library);
    expect(rendered).toEqual({ text: '', missingVariables: ['constructor'] });
  });
});
