'use client';
// Creates a knowledge base: a name, a description and its embedding model (the
// semantic built-in by default). Opens the new base once it exists.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Button } from '../ui/button';
import { fieldError, formError } from '../ui/mutation-errors';
import { SelectField } from '../ui/select-field';
import { TextField } from '../ui/text-field';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';

export function CreateKnowledgeBaseForm(props: { workspaceId: string; slug: string; models: { model: string; label: string }[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.knowledge.create.mutationOptions({ onSuccess: (base) => router.push(`/w/${props.slug}/knowledge/${base.id}`) }));
  const { formRef, summaryRef } = useFocusOnError(create.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({
      workspaceId: props.workspaceId,
      name: String(form.get('name') ?? ''),
      description: String(form.get('description') ?? ''),
      embeddingModel: String(form.get('embeddingModel') ?? ''),
    });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-3" noValidate>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label="Name" name="name" required autoComplete="off" placeholder="Product documentation" error={fieldError(create.error, 'name')} />
        <SelectField
          label="Embedding model"
          name="embeddingModel"
          options={props.models.map((m) => ({ value: m.model, label: m.label }))}
          error={fieldError(create.error, 'embeddingModel')}
        />
      </div>
      <TextField label="Description" name="description" autoComplete="off" placeholder="What it holds (optional)" error={fieldError(create.error, 'description')} />
      <Button type="submit" pending={create.isPending} pendingLabel="Creating…">
        Create knowledge base
      </Button>
      <FormErrorSummary message={formError(create.error)} summaryRef={summaryRef} />
    </form>
  );
}
