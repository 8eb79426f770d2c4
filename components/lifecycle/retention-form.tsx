'use client';
// Retention settings: days to keep runs, traces, thread messages and memory
// (empty keeps them forever). Read-only, with a note, for roles that may not
// change them; the server refuses them too.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';
import { fieldError, formError } from '../ui/mutation-errors';
import { TextField } from '../ui/text-field';

type Days = { runsDays: number | null; tracesDays: number | null; messagesDays: number | null; memoryDays: number | null };

const FIELDS: { name: keyof Days; label: string; hint: string }[] = [
  { name: 'runsDays', label: 'Runs', hint: 'Finished runs with their steps, spans and streamed text' },
  { name: 'tracesDays', label: 'Traces', hint: 'Trace spans, also of runs that are kept' },
  { name: 'messagesDays', label: 'Thread messages', hint: "End users' conversation messages" },
  { name: 'memoryDays', label: 'Memory', hint: 'Long-term memory items' },
];

/** An empty field keeps data forever; anything else is sent as typed, so the server can say what is wrong with it. */
function daysOf(value: FormDataEntryValue | null): number | null {
  const text = String(value ?? '').trim();
  return text === '' ? null : Number(text);
}

export function RetentionForm({ workspaceId, current, canUpdate }: { workspaceId: string; current: Days; canUpdate: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const save = useMutation(trpc.lifecycle.setRetention.mutationOptions({ onSuccess: () => router.refresh() }));
  const { formRef, summaryRef } = useFocusOnError(save.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!canUpdate) return;
    const form = new FormData(event.currentTarget);
    save.mutate({
      workspaceId,
      runsDays: daysOf(form.get('runsDays')),
      tracesDays: daysOf(form.get('tracesDays')),
      messagesDays: daysOf(form.get('messagesDays')),
      memoryDays: daysOf(form.get('memoryDays')),
    });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-4" noValidate>
      {!canUpdate && <Alert tone="info">Only owners and admins can change retention.</Alert>}
      <FormErrorSummary message={formError(save.error)} summaryRef={summaryRef} />
      {save.isSuccess && <Alert tone="success">Retention saved. Older data is deleted in the background shortly.</Alert>}
      <fieldset disabled={!canUpdate} className="grid gap-4 sm:grid-cols-2">
        <legend className="sr-only">Days to keep each kind of data</legend>
        {FIELDS.map((f) => (
          <TextField
            key={f.name}
            label={`${f.label} (days)`}
            name={f.name}
            type="number"
            inputMode="numeric"
            min={1}
            max={3650}
            placeholder="Keep forever"
            defaultValue={current[f.name] ?? ''}
            hint={f.hint}
            error={fieldError(save.error, f.name)}
          />
        ))}
        <div className="sm:col-span-2">
          <Button type="submit" pending={save.isPending} pendingLabel="Saving…">
            Save retention
          </Button>
        </div>
      </fieldset>
    </form>
  );
}
