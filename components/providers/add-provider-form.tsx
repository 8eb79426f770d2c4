'use client';
// Adds an OpenAI-compatible provider: name, kind, base URL, the vault secret that
// holds its API key, and its models (comma-separated). The base URL is checked
// against the egress rules on the server before it is saved.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Button } from '../ui/button';
import { fieldError, formError } from '../ui/mutation-errors';
import { SelectField } from '../ui/select-field';
import { TextField } from '../ui/text-field';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';
import { useToast } from '../ui/toast';

const KINDS = [
  { value: 'openai-compatible', label: 'OpenAI-compatible' },
  { value: 'openai', label: 'OpenAI' },
  { value: 'azure', label: 'Azure OpenAI' },
  { value: 'ollama', label: 'Ollama' },
  { value: 'vllm', label: 'vLLM' },
  { value: 'litellm', label: 'LiteLLM' },
] as const;

export function AddProviderForm({ workspaceId, secretNames }: { workspaceId: string; secretNames: { id: string; name: string }[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const create = useMutation(
    trpc.providers.create.mutationOptions({
      onSuccess: (provider) => {
        formRef.current?.reset();
        toast(`Added ${provider.name}`);
        router.refresh();
      },
    }),
  );
  const { formRef, summaryRef } = useFocusOnError(create.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const secret = String(form.get('apiKeySecretId') ?? '');
    create.mutate({
      workspaceId,
      name: String(form.get('name') ?? ''),
      kind: String(form.get('kind')) as (typeof KINDS)[number]['value'],
      baseUrl: String(form.get('baseUrl') ?? ''),
      apiKeySecretId: secret || null,
      models: String(form.get('models') ?? '')
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean),
      priority: Number(form.get('priority') || 100),
      timeoutMs: Math.round(Number(form.get('timeoutSeconds') || 60) * 1000),
    });
  }

  return (
    <div className="space-y-3">
      <form ref={formRef} onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-2" noValidate>
        <TextField label="Name" name="name" required placeholder="openai" error={fieldError(create.error, 'name')} />
        <SelectField label="Kind" name="kind" options={KINDS} defaultValue="openai-compatible" />
        <TextField label="Base URL" name="baseUrl" required placeholder="https://api.openai.com/v1" spellCheck={false} error={fieldError(create.error, 'baseUrl')} />
        <SelectField
          label="API key secret"
          name="apiKeySecretId"
          options={[{ value: '', label: 'No key' }, ...secretNames.map((s) => ({ value: s.id, label: s.name }))]}
        />
        <TextField label="Models" name="models" placeholder="gpt-4o-mini, text-embedding-3-small" hint="Comma-separated" error={fieldError(create.error, 'models')} />
        <div className="grid grid-cols-2 gap-3">
          <TextField label="Priority" name="priority" type="number" defaultValue="100" hint="Lower is tried first" error={fieldError(create.error, 'priority')} />
          <TextField label="Timeout (s)" name="timeoutSeconds" type="number" defaultValue="60" error={fieldError(create.error, 'timeoutMs')} />
        </div>
        <div className="sm:col-span-2">
          <Button type="submit" pending={create.isPending} pendingLabel="Checking…">
            Add provider
          </Button>
        </div>
      </form>
      <FormErrorSummary message={formError(create.error)} summaryRef={summaryRef} />
    </div>
  );
}
