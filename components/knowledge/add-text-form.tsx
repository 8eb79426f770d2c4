'use client';
// Adds pasted text or a URL to a knowledge base; both are queued for ingestion
// (the URL is fetched by the worker through the egress guard).
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { TextAreaField } from '../agents/text-area-field';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { fieldError, formError } from '../ui/mutation-errors';
import { TextField } from '../ui/text-field';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';

export function AddTextForm(props: { workspaceId: string; knowledgeBaseId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const add = useMutation(
    trpc.knowledge.addText.mutationOptions({
      onSuccess: () => {
        formRef.current?.reset();
        router.refresh();
      },
    }),
  );
  const { formRef, summaryRef } = useFocusOnError(add.error);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    add.mutate({ workspaceId: props.workspaceId, knowledgeBaseId: props.knowledgeBaseId, name: String(form.get('name') ?? ''), text: String(form.get('text') ?? '') });
  }
  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-3" noValidate>
      <TextField label="Title" name="name" autoComplete="off" placeholder="Pasted text" error={fieldError(add.error, 'name')} />
      <TextAreaField label="Text" name="text" rows={5} hint="Markdown headings (#, ##) become the sections passages cite." error={fieldError(add.error, 'text')} />
      <Button type="submit" pending={add.isPending} pendingLabel="Adding…">
        Add text
      </Button>
      <FormErrorSummary message={formError(add.error)} summaryRef={summaryRef} />
      {add.isSuccess && <Alert tone="success">Added; it is being ingested.</Alert>}
    </form>
  );
}

export function AddUrlForm(props: { workspaceId: string; knowledgeBaseId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const add = useMutation(
    trpc.knowledge.addUrl.mutationOptions({
      onSuccess: () => {
        formRef.current?.reset();
        router.refresh();
      },
    }),
  );
  const { formRef, summaryRef } = useFocusOnError(add.error);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    add.mutate({ workspaceId: props.workspaceId, knowledgeBaseId: props.knowledgeBaseId, url: String(form.get('url') ?? '') });
  }
  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-3" noValidate>
      <TextField label="URL" name="url" type="url" autoComplete="off" placeholder="https://example.com/guide.html" error={fieldError(add.error, 'url')} />
      <Button type="submit" pending={add.isPending} pendingLabel="Adding…">
        Add URL
      </Button>
      <FormErrorSummary message={formError(add.error)} summaryRef={summaryRef} />
      {add.isSuccess && <Alert tone="success">Added; it will be fetched and ingested.</Alert>}
    </form>
  );
}
