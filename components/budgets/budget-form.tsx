'use client';
// Creates a budget: a name, its scope (the whole workspace or one agent), the
// monthly limit in US dollars and whether it stops calls (hard) or only alerts (soft).
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { fieldError, formError } from '../ui/mutation-errors';
import { SelectField } from '../ui/select-field';
import { TextField } from '../ui/text-field';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';

const WORKSPACE_SCOPE = 'workspace';

export function BudgetForm({ workspaceId, agents }: { workspaceId: string; agents: { id: string; name: string }[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [saved, setSaved] = useState<string>();
  const create = useMutation(
    trpc.budgets.create.mutationOptions({
      onSuccess: (budget) => {
        formRef.current?.reset();
        setSaved(budget.name);
        create.reset();
        router.refresh();
      },
    }),
  );
  const { formRef, summaryRef } = useFocusOnError(create.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(undefined);
    const form = new FormData(event.currentTarget);
    const scope = String(form.get('scope') ?? WORKSPACE_SCOPE);
    create.mutate({
      workspaceId,
      name: String(form.get('name') ?? ''),
      agentId: scope === WORKSPACE_SCOPE ? null : scope,
      // Sent as typed: the server says what is wrong with it.
      monthlyLimitUsd: String(form.get('monthlyLimitUsd') ?? ''),
      enforcement: form.get('enforcement') === 'soft' ? 'soft' : 'hard',
    });
  }

  return (
    <div className="space-y-3">
      <form ref={formRef} onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-2 sm:items-start" noValidate>
        <TextField label="Name" name="name" required autoComplete="off" placeholder="Monthly model spend" error={fieldError(create.error, 'name')} />
        <SelectField
          label="Applies to"
          name="scope"
          defaultValue={WORKSPACE_SCOPE}
          options={[{ value: WORKSPACE_SCOPE, label: 'The whole workspace' }, ...agents.map((a) => ({ value: a.id, label: `Agent: ${a.name}` }))]}
          error={fieldError(create.error, 'agentId')}
        />
        <TextField
          label="Monthly limit (USD)"
          name="monthlyLimitUsd"
          inputMode="decimal"
          required
          autoComplete="off"
          placeholder="50"
          hint="Spend resets on the first day of each month (UTC)."
          error={fieldError(create.error, 'monthlyLimitUsd')}
        />
        <SelectField
          label="When reached"
          name="enforcement"
          defaultValue="hard"
          options={[
            { value: 'hard', label: 'Hard: refuse model calls that could pass it' },
            { value: 'soft', label: 'Soft: alert only' },
          ]}
          error={fieldError(create.error, 'enforcement')}
        />
        <div className="sm:col-span-2">
          <Button type="submit" pending={create.isPending} pendingLabel="Creating…">
            Create budget
          </Button>
        </div>
      </form>
      <FormErrorSummary message={formError(create.error)} summaryRef={summaryRef} />
      {saved && !create.isPending && <Alert tone="success">Created the budget {saved}.</Alert>}
    </div>
  );
}
