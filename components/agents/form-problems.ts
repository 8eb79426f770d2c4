// Where a refused submission's message goes on the agents, prompts and tools forms:
// beside the field it is about (a schema problem, or a domain refusal naming its
// field), otherwise above the submit button.
import { fieldError, formError } from '../ui/mutation-errors';

type WithField = { message?: string; data?: { field?: string | null } | null } | null;

/** The message for one field: the schema's, or the domain's when it names this field. */
export function problemAt(error: unknown, ...fields: string[]): string | undefined {
  for (const field of fields) {
    const fromSchema = fieldError(error, field);
    if (fromSchema) return fromSchema;
  }
  const e = error as WithField;
  return e?.data?.field && fields.includes(e.data.field) ? e.message : undefined;
}

/** The message for the whole form, unless it is already shown beside one of `shownFields`. */
export function formProblem(error: unknown, shownFields: readonly string[]): string | undefined {
  const e = error as WithField;
  if (e?.data?.field && shownFields.includes(e.data.field)) return undefined;
  return formError(error);
}
