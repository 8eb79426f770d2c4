// The account email field of the sign-in and sign-up forms.
import { TextField } from '../ui/text-field';

export function EmailField({ defaultEmail, error }: { defaultEmail?: string; error?: string }) {
  return <TextField label="Email" name="email" type="email" autoComplete="email" required defaultValue={defaultEmail} error={error} />;
}
