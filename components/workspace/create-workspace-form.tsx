'use client';
// Creates a workspace (the creator becomes its owner) and opens it.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Button } from '../ui/button';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';
import { fieldError, formError } from '../ui/mutation-errors';
import { TextField } from '../ui/text-field';

export function CreateWorkspaceForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(
    trpc.workspaces.create.mutationOptions({
      onSuccess: (workspace) => {
        router.push(`/w/${workspace.slug}`);
        router.refresh();
      },
    }),
  );
  const { formRef, summaryRef } = useFocusOnError(create.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const slug = String(form.get('slug') ?? '').trim();
    create.mutate({ name: String(form.get('name') ?? ''), slug: slug || undefined });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormErrorSummary message={formError(create.error)} summaryRef={summaryRef} />
      <TextField label="Workspace name" name="name" required placeholder="Acme Inc." error={fieldError(create.error, 'name')} />
      <TextField
        label="URL (optional)"
        name="slug"
        placeholder="acme"
        hint="Lowercase letters, digits and dashes. Leave empty to derive it from the name."
        error={fieldError(create.error, 'slug')}
      />
      <Button type="submit" pending={create.isPending || create.isSuccess} pendingLabel="Creating…">
        Create workspace
      </Button>
    </form>
  );
}
