// Reads a tRPC client error into a message and per-field messages for forms.
type ErrorLike = { message?: string; data?: { fieldErrors?: Record<string, string[] | undefined> | null } | null } | null;

export function fieldError(error: unknown, field: string): string | undefined {
  return (error as ErrorLike)?.data?.fieldErrors?.[field]?.[0];
}

/** The message to show above a form: omitted when every problem is shown next to its field. */
export function formError(error: unknown): string | undefined {
  if (!error) return undefined;
  const e = error as ErrorLike;
  const fields = e?.data?.fieldErrors;
  if (fields && Object.keys(fields).length > 0) return undefined;
  return e?.message || 'Something went wrong';
}
