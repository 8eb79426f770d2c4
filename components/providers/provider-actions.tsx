'use client';
// Per-provider actions: try it (one metered call, shown with tokens, cost and
// latency) and delete. Only rendered for roles that may change providers.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { ConfirmButton } from '../ui/confirm-button';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';
import { fieldError, formError } from '../ui/mutation-errors';
import { SelectField } from '../ui/select-field';
import { TextField } from '../ui/text-field';
import { useToast } from '../ui/toast';

export function TryProvider({ workspaceId, providerId, providerName, models }: { workspaceId: string; providerId: string; providerName: string; models: string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [model, setModel] = useState(models[0] ?? '');
  const test = useMutation(trpc.providers.test.mutationOptions({ onSuccess: () => router.refresh() }));
  const { formRef, summaryRef } = useFocusOnError(test.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    test.mutate({ workspaceId, providerId, model: model || undefined, prompt: String(form.get('prompt') ?? '') || undefined });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-2" aria-label={`Try ${providerName}`}>
      <div className="grid gap-2 sm:grid-cols-[12rem_1fr_auto] sm:items-end">
        {models.length > 0 ? (
          <SelectField label="Model" value={model} onChange={(e) => setModel(e.target.value)} options={models.map((m) => ({ value: m, label: m }))} error={fieldError(test.error, 'model')} />
        ) : (
          <TextField label="Model" value={model} onChange={(e) => setModel(e.target.value)} error={fieldError(test.error, 'model')} />
        )}
        <TextField label="Prompt" name="prompt" placeholder="Say hello" error={fieldError(test.error, 'prompt')} />
        <Button type="submit" pending={test.isPending} pendingLabel="Calling…">
          Test connection
        </Button>
      </div>
      <FormErrorSummary message={formError(test.error)} summaryRef={summaryRef} />
      {test.data && (
        <Alert tone="success">
          <span className="block whitespace-pre-wrap" data-testid="try-reply">{test.data.reply}</span>
          <span className="mt-1 block text-xs">
            {test.data.model} · {test.data.inputTokens} in / {test.data.outputTokens} out · ${test.data.costUsd.toFixed(6)} · {test.data.latencyMs} ms
          </span>
        </Alert>
      )}
    </form>
  );
}

export function DeleteProvider({ workspaceId, providerId, name }: { workspaceId: string; providerId: string; name: string }) {
  const trpc = useTRPC();
  const toast = useToast();
  const router = useRouter();
  const remove = useMutation(
    trpc.providers.delete.mutationOptions({
      onSuccess: () => {
        toast(`Deleted ${name}`);
        router.refresh();
      },
    }),
  );
  return (
    <div>
      <ConfirmButton question={`Delete ${name}? Routes that use it go back to their other entries.`} confirmLabel={`Delete ${name}`} nowrap onConfirm={() => remove.mutate({ workspaceId, providerId })} pending={remove.isPending}>
        Delete
      </ConfirmButton>
      {formError(remove.error) && <Alert>{formError(remove.error)}</Alert>}
    </div>
  );
}

type ProviderRow = {
  id: string;
  name: string;
  kind: 'openai-compatible' | 'openai' | 'azure' | 'ollama' | 'vllm' | 'litellm';
  baseUrl: string;
  apiKeySecretId: string | null;
  models: string[];
  enabled: boolean;
  priority: number;
  timeoutMs: number;
};

/** Order (priority) and on/off of one provider; the rest of its settings stay as they are. */
export function ProviderOrder({ workspaceId, provider }: { workspaceId: string; provider: ProviderRow }) {
  const trpc = useTRPC();
  const toast = useToast();
  const router = useRouter();
  const update = useMutation(
    trpc.providers.update.mutationOptions({
      onSuccess: (_, { enabled, priority }) => {
        toast(`Saved ${provider.name}: priority ${priority}, ${enabled ? 'enabled' : 'disabled'}`);
        router.refresh();
      },
    }),
  );
  const { formRef, summaryRef } = useFocusOnError(update.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const { id, ...fields } = provider;
    update.mutate({ workspaceId, providerId: id, ...fields, enabled: form.get('enabled') === 'on', priority: Number(form.get('priority') || 0) });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} aria-label={`Order of ${provider.name}`} className="flex flex-wrap items-end gap-3">
      <TextField label="Priority" name="priority" type="number" defaultValue={String(provider.priority)} className="w-28" error={fieldError(update.error, 'priority')} />
      <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
        <input type="checkbox" name="enabled" defaultChecked={provider.enabled} /> Enabled
      </label>
      <Button type="submit" variant="secondary" pending={update.isPending} pendingLabel="Saving…">
        Save order
      </Button>
      <FormErrorSummary message={formError(update.error)} summaryRef={summaryRef} />
    </form>
  );
}
