'use client';
// A knowledge base's embedding model (changing it re-embeds every document in the
// background) and its deletion, for writers.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { ConfirmButton } from '../ui/confirm-button';
import { fieldError, formError } from '../ui/mutation-errors';
import { SelectField } from '../ui/select-field';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';
import { useToast } from '../ui/toast';

export function KnowledgeBaseSettings(props: {
  workspaceId: string;
  slug: string;
  knowledgeBaseId: string;
  name: string;
  embeddingModel: string;
  models: { model: string; label: string }[];
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [requeued, setRequeued] = useState<number>();
  const change = useMutation(
    trpc.knowledge.changeModel.mutationOptions({
      onSuccess: (result) => {
        setRequeued(result.requeued);
        router.refresh();
      },
    }),
  );
  const { formRef, summaryRef } = useFocusOnError(change.error);
  const toast = useToast();
  const remove = useMutation(
    trpc.knowledge.delete.mutationOptions({
      onSuccess: () => {
        toast(`Deleted ${props.name}`);
        router.push(`/w/${props.slug}/knowledge`);
      },
    }),
  );
  const options = props.models.some((m) => m.model === props.embeddingModel)
    ? props.models
    : [{ model: props.embeddingModel, label: props.embeddingModel }, ...props.models];

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setRequeued(undefined);
    change.mutate({ workspaceId: props.workspaceId, knowledgeBaseId: props.knowledgeBaseId, embeddingModel: String(new FormData(event.currentTarget).get('embeddingModel') ?? '') });
  }

  return (
    <div className="space-y-4">
      <form ref={formRef} onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" noValidate>
        <SelectField
          label="Embedding model"
          name="embeddingModel"
          defaultValue={props.embeddingModel}
          options={options.map((m) => ({ value: m.model, label: m.label }))}
          error={fieldError(change.error, 'embeddingModel')}
        />
        <Button type="submit" variant="secondary" pending={change.isPending} pendingLabel="Saving…">
          Change model
        </Button>
      </form>
      <FormErrorSummary message={formError(change.error)} summaryRef={summaryRef} />
      {requeued !== undefined && <Alert tone="success">{requeued ? `${requeued} document(s) are being re-embedded.` : 'The model is unchanged.'}</Alert>}
      <ConfirmButton
        variant="danger"
        question={`Delete ${props.name} with all its documents? Agents using it stop finding its passages.`}
        confirmLabel="Delete knowledge base"
        pending={remove.isPending}
        pendingLabel="Deleting…"
        onConfirm={() => remove.mutate({ workspaceId: props.workspaceId, knowledgeBaseId: props.knowledgeBaseId })}
      >
        Delete knowledge base
      </ConfirmButton>
      {remove.error && <Alert>{remove.error.message}</Alert>}
    </div>
  );
}
