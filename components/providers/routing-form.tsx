'use client';
// The default provider and model of one task type, with one optional fallback.
// Viewers see the same form disabled.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { fieldError, formError } from '../ui/mutation-errors';
import { SelectField } from '../ui/select-field';
import { TextField } from '../ui/text-field';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';

type Choice = { providerId: string; model: string };
type TaskType = 'chat' | 'embedding' | 'utility';

export function RoutingForm(props: {
  workspaceId: string;
  taskType: TaskType;
  chain: Choice[];
  providers: { value: string; label: string }[];
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const save = useMutation(trpc.routing.set.mutationOptions({ onSuccess: () => router.refresh() }));
  const { formRef, summaryRef } = useFocusOnError(save.error);
  const [primary, fallback] = props.chain;
  const noFallback = [{ value: '', label: 'No fallback' }, ...props.providers];

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const fallbackProvider = String(form.get('fallbackProvider') ?? '');
    const fallbackModel = String(form.get('fallbackModel') ?? '').trim();
    save.mutate({
      workspaceId: props.workspaceId,
      taskType: props.taskType,
      providerId: String(form.get('provider')),
      model: String(form.get('model') ?? ''),
      fallbacks: fallbackProvider && fallbackModel ? [{ providerId: fallbackProvider, model: fallbackModel }] : [],
    });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} aria-label={`Routing for ${props.taskType}`} className="space-y-2">
      <fieldset disabled={!props.canWrite} className="grid gap-2 sm:grid-cols-[8rem_1fr_1fr_1fr_1fr_auto] sm:items-end">
        <p className="text-sm font-medium capitalize text-slate-800 sm:pb-2">{props.taskType}</p>
        <SelectField label="Provider" name="provider" options={props.providers} defaultValue={primary?.providerId ?? 'local'} />
        <TextField label="Model" name="model" defaultValue={primary?.model ?? ''} error={fieldError(save.error, 'model')} />
        <SelectField label="Fallback provider" name="fallbackProvider" options={noFallback} defaultValue={fallback?.providerId ?? ''} />
        <TextField label="Fallback model" name="fallbackModel" defaultValue={fallback?.model ?? ''} error={fieldError(save.error, 'fallbacks')} />
        {props.canWrite && (
          <Button type="submit" variant="secondary" pending={save.isPending} pendingLabel="Saving…">
            Save
          </Button>
        )}
      </fieldset>
      <FormErrorSummary message={formError(save.error)} summaryRef={summaryRef} />
      {save.isSuccess && <Alert tone="success">Saved the {props.taskType} route.</Alert>}
    </form>
  );
}
