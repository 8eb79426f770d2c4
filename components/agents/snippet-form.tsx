'use client';
// Adds a snippet to the prompt library, or changes one's description and text (a
// snippet's name is fixed: templates include it by name).
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Button } from '../ui/button';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';
import { useToast } from '../ui/toast';
import { TextField } from '../ui/text-field';
import { formProblem, problemAt } from './form-problems';
import { TextAreaField } from './text-area-field';

const FIELDS = ['name', 'description', 'body'];

type Snippet = { id: string; name: string; description: string; body: string };

export function SnippetForm(props: { workspaceId: string; snippet?: Snippet; onDone?: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const done = (saved: { name: string }) => {
    toast(props.snippet ? `Saved ${saved.name}` : `Added ${saved.name}`);
    if (!props.snippet) formRef.current?.reset();
    router.refresh();
    props.onDone?.();
  };
  const create = useMutation(trpc.prompts.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.prompts.update.mutationOptions({ onSuccess: done }));
  const mutation = props.snippet ? update : create;
  const { formRef, summaryRef } = useFocusOnError(mutation.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const fields = { workspaceId: props.workspaceId, description: String(form.get('description') ?? ''), body: String(form.get('body') ?? '') };
    if (props.snippet) update.mutate({ ...fields, snippetId: props.snippet.id });
    else create.mutate({ ...fields, name: String(form.get('name') ?? '') });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-3">
      <div className="grid gap-3 sm:grid-cols-2">
        {props.snippet ? (
          <TextField label="Name" name="name" defaultValue={props.snippet.name} disabled className="font-mono" />
        ) : (
          <TextField
            label="Name"
            name="name"
            required
            autoComplete="off"
            spellCheck={false}
            placeholder="house-style"
            hint="Include it in a prompt with {{> name}}."
            error={problemAt(mutation.error, 'name')}
          />
        )}
        <TextField label="Description" name="description" defaultValue={props.snippet?.description} error={problemAt(mutation.error, 'description')} />
      </div>
      <TextAreaField
        label="Text"
        name="body"
        rows={props.snippet ? 6 : 4}
        required
        defaultValue={props.snippet?.body}
        spellCheck={false}
        hint="May use {{variables}} of the prompts that include it, and include other snippets."
        error={problemAt(mutation.error, 'body')}
      />
      <div className="flex gap-2">
        <Button type="submit" pending={mutation.isPending} pendingLabel="Saving…">
          {props.snippet ? 'Save snippet' : 'Add snippet'}
        </Button>
        {props.onDone && (
          <Button variant="ghost" onClick={props.onDone}>
            Cancel
          </Button>
        )}
      </div>
      <FormErrorSummary message={formProblem(mutation.error, FIELDS)} summaryRef={summaryRef} />
    </form>
  );
}
