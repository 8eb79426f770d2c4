// Where a refused submission's message goes on the agents, prompts and tools forms:
// beside the field it is about (a schema problem, or a domain refusal naming its
// field — the edge reports both as field errors), otherwise above the submit button.
import { fieldError, formError } from '../ui/mutation-errors';

/** The message for the first of `fields` that has one. */
export function problemAt(error: unknown, ...fields: string[]): string | undefined {
  for (const field of fields) {
    const message = fieldError(error, field);
    if (message) return message;
  }
  return undefined;
}

type WithFieldErrors = { data?: { fieldErrors?: Record<string, string[] | undefined> | null } | null } | null;

/** The message for the whole form: a problem with a field this form does not show, or one with no field at all. */
export function formProblem(error: unknown, shownFields: readonly string[]): string | undefined {
  const fieldErrors = (error as WithFieldErrors)?.data?.fieldErrors ?? {};
  const elsewhere = Object.entries(fieldErrors).find(([field, messages]) => messages?.length && !shownFields.includes(field));
  return elsewhere?.[1]?.[0] ?? formError(error);
}
