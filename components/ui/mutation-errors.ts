// Reads a tRPC client error into a message and per-field messages for forms, in
// plain English: a schema limit the server states in zod's words ("Too big:
// expected string to have <=80 characters") reads "Can be at most 80 characters".
type ErrorLike = { message?: string; data?: { fieldErrors?: Record<string, string[] | undefined> | null } | null } | null;

const LIMIT = /^Too (big|small): expected (string|number|array|int|bigint|set|file) to (?:have|be) (<=|<|>=|>)(-?[\d.]+)(?: (?:characters|items|bytes))?$/;

function limitSentence(size: 'big' | 'small', kind: string, comparison: string, raw: string): string {
  let n = Number(raw);
  // "< 81" and "> 0" are "at most 80" and "at least 1" for whole numbers.
  if (Number.isInteger(n) && comparison === '<') n -= 1;
  if (Number.isInteger(n) && comparison === '>') n += 1;
  const bound = size === 'big' ? 'at most' : 'at least';
  if (kind === 'string') return n === 1 && size === 'small' ? 'This can’t be empty' : `Can be ${bound} ${n} character${n === 1 ? '' : 's'}`;
  if (kind === 'array' || kind === 'set') return n === 1 && size === 'small' ? 'Choose at least one' : `Can have ${bound} ${n} item${n === 1 ? '' : 's'}`;
  if (kind === 'file') return `The file can be ${bound} ${n} bytes`;
  return `Must be ${bound} ${n}`;
}

/** One validation message as a person would say it; messages already written for people pass through. */
export function plainMessage(message: string): string {
  const limit = LIMIT.exec(message);
  if (limit) return limitSentence(limit[1] as 'big' | 'small', limit[2]!, limit[3]!, limit[4]!);
  if (/^Invalid input: expected (number|int), received/.test(message)) return 'Enter a number';
  if (/^Invalid input: expected \w+, received (undefined|null)$/.test(message)) return 'This is required';
  if (/^Invalid input: expected /.test(message)) return 'This value isn’t valid';
  if (/^Invalid option: expected one of /.test(message)) return 'Choose one of the options';
  if (message === 'Invalid UUID') return 'Choose an item from the list';
  if (message === 'Invalid URL') return 'Enter a full web address, like https://example.com';
  if (message === 'Invalid email address') return 'Enter a valid email address';
  return message;
}

export function fieldError(error: unknown, field: string): string | undefined {
  const message = (error as ErrorLike)?.data?.fieldErrors?.[field]?.[0];
  return message === undefined ? undefined : plainMessage(message);
}

/** The message to show above a form: omitted when every problem is shown next to its field. */
export function formError(error: unknown): string | undefined {
  if (!error) return undefined;
  const e = error as ErrorLike;
  const fields = e?.data?.fieldErrors;
  if (fields && Object.keys(fields).length > 0) return undefined;
  if (!e?.message) return 'Something went wrong';
  // Several problems arrive as "path: message; path: message".
  return e.message
    .split('; ')
    .map((part) => {
      const at = /^([\w.]+): (.+)$/.exec(part);
      return at ? `${at[1]}: ${plainMessage(at[2]!)}` : plainMessage(part);
    })
    .join('; ');
}
