// The announcement above a form after a failed submit (role="alert"): the
// server's message, or, when every problem is shown beside its field, a pointer
// to those fields — so screen-reader users hear that something needs fixing.
import { Alert } from './alert';
import { formError } from './mutation-errors';

export function FormAlert({ error }: { error: unknown }) {
  if (!error) return null;
  return <Alert>{formError(error) ?? 'Check the fields marked below.'}</Alert>;
}
