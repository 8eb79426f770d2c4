// What a schema says when its author gave no message of its own: a plain
// sentence for the person at the form or the API client ("Can be at most 80
// characters"), never zod's default ("Too big: expected string to have <=80
// characters"). Installed once for the process by server/trpc/schemas.ts.
import type { z } from 'zod';

type Issue = Parameters<z.core.$ZodErrorMap>[0];

const TYPE_WORDS: Record<string, string> = {
  string: 'Must be text',
  number: 'Enter a number',
  int: 'Enter a whole number',
  boolean: 'Must be true or false',
  date: 'Enter a valid date',
  array: 'Must be a list',
  object: 'Must be an object',
};

const FORMAT_WORDS: Record<string, string> = {
  email: 'Enter a valid email address',
  uuid: 'Not a valid id',
  url: 'Enter a valid URL',
  datetime: 'Enter a valid date and time',
  date: 'Enter a valid date',
  regex: 'Not in the expected format',
};

function bound(issue: { origin?: string; inclusive?: boolean }, limit: unknown, most: boolean): string {
  const n = String(limit);
  switch (issue.origin) {
    case 'string':
      if (most) return `Can be at most ${n} characters`;
      return n === '1' ? 'Cannot be empty' : `Use at least ${n} characters`;
    case 'array':
    case 'set':
      if (most) return `At most ${n} items`;
      return n === '1' ? 'Add at least one' : `At least ${n} items`;
    default:
      if (issue.inclusive === false) return `Must be ${most ? 'less' : 'more'} than ${n}`;
      return `Must be at ${most ? 'most' : 'least'} ${n}`;
  }
}

/** The plain sentence for a zod issue, or undefined to keep zod's own (codes not listed here). */
export function plainMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'too_big':
      return bound(issue, issue.maximum, true);
    case 'too_small':
      return bound(issue, issue.minimum, false);
    case 'invalid_type':
      return issue.input === undefined ? 'Required' : (TYPE_WORDS[issue.expected] ?? 'Not a valid value');
    case 'invalid_format':
      return FORMAT_WORDS[issue.format] ?? 'Not in the expected format';
    case 'invalid_value':
      return issue.values.length <= 10 ? `Choose one of: ${issue.values.map(String).join(', ')}` : 'Not one of the allowed values';
    case 'not_multiple_of':
      return `Must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `Unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}`;
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return 'Not a valid value';
    default:
      return undefined;
  }
}
