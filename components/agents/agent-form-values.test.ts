// The editor's text fields round-trip a version's variables, and bad text is
// reported per field before anything is sent.
import { describe, expect, it } from 'vitest';
import { parseOutputSchema, parseVariables, variablesText } from './agent-form-values';

describe('agent form values', () => {
  it('reads "name = default" lines, a bare name having no default, and writes them back', () => {
    const parsed = parseVariables('company = Acme Inc.\n\n  customer  \nnote = a = b\nempty =');
    expect(parsed.value).toEqual([
      { name: 'company', default: 'Acme Inc.', description: '' },
      { name: 'customer', default: null, description: '' },
      { name: 'note', default: 'a = b', description: '' },
      { name: 'empty', default: '', description: '' },
    ]);
    expect(variablesText(parsed.value!)).toBe('company = Acme Inc.\ncustomer\nnote = a = b\nempty = ');
    expect(parseVariables('ok = 1\n2bad = x').error).toBe('Line 2: "2bad" is not a variable name');
  });

  it('reads the output schema as a JSON object or nothing', () => {
    expect(parseOutputSchema('  ')).toEqual({ value: null });
    expect(parseOutputSchema('{"type": "object"}')).toEqual({ value: { type: 'object' } });
    expect(parseOutputSchema('[1]').error).toBe('Enter a JSON object');
    expect(parseOutputSchema('{"type": ').error).toBe('This is not valid JSON');
  });
});
