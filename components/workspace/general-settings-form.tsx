'use client';
// Rename the workspace or change its URL. Shown disabled, with a note, to roles
// without workspace:update (the server refuses them too). A new URL is followed.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';
import { fieldError, formError } from '../ui/mutation-errors';
import { TextField } from '../ui/text-field';

export function GeneralSettingsForm(props: { workspaceId: string; name: string; slug: string; canUpdate: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const update = useMutation(
    trpc.workspaces.update.mutationOptions({
      onSuccess: (updated) => {
        if (updated.slug !== props.slug) router.replace(`/w/${updated.slug}/settings`);
        router.refresh();
      },
    }),
  );
  const { formRef, summaryRef } = useFocusOnError(update.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!props.canUpdate) return;
    const form = new FormData(event.currentTarget);
    update.mutate({ workspaceId: props.workspaceId, name: String(form.get('name') ?? ''), slug: String(form.get('slug') ?? '') });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-4" noValidate>
      {!props.canUpdate && <Alert tone="info">Only owners and admins can change settings.</Alert>}
      <FormErrorSummary message={formError(update.error)} summaryRef={summaryRef} />
      {update.isSuccess && <Alert tone="success">Settings saved.</Alert>}
      <fieldset disabled={!props.canUpdate} className="space-y-4">
        <legend className="sr-only">Workspace name and URL</legend>
        <TextField label="Workspace name" name="name" defaultValue={props.name} required error={fieldError(update.error, 'name')} />
        <TextField
          label="URL"
          name="slug"
          defaultValue={props.slug}
          required
          autoComplete="off"
          spellCheck={false}
          hint="Shown as /w/<url>. Changing it breaks old links to this workspace."
          error={fieldError(update.error, 'slug')}
        />
        <Button type="submit" pending={update.isPending} pendingLabel="Saving…">
          Save changes
        </Button>
      </fieldset>
    </form>
  );
}
