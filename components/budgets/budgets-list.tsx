'use client';
// The workspace's budgets: for each, this month's settled spend and what calls in
// flight have reserved against the limit, the thresholds reached, and its
// burn-down chart. Managers change the limit and enforcement, or delete it.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { BudgetBurnDown } from '../charts/budget-burn-down';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { ConfirmButton } from '../ui/confirm-button';
import { EmptyState } from '../ui/empty-state';
import { fieldError, formError } from '../ui/mutation-errors';
import { SelectField } from '../ui/select-field';
import { TextField } from '../ui/text-field';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';
import { useToast } from '../ui/toast';

export type BudgetItem = {
  id: string;
  name: string;
  agentName: string | null;
  agentId: string | null;
  monthlyLimitUsd: number;
  enforcement: 'hard' | 'soft';
  spentUsd: number;
  reservedUsd: number;
  alerts: number[];
  burnDown: { day: string; spentUsd: number }[];
};

export const formatBudgetUsd = (v: number) => (v !== 0 && Math.abs(v) < 0.01 ? `$${v.toFixed(6)}` : `$${v.toFixed(2)}`);

function EditBudget({ workspaceId, budget, onDone }: { workspaceId: string; budget: BudgetItem; onDone: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const update = useMutation(
    trpc.budgets.update.mutationOptions({
      onSuccess: (saved) => {
        toast(`Saved the budget ${saved.name}`);
        onDone();
        router.refresh();
      },
    }),
  );
  const { formRef, summaryRef } = useFocusOnError(update.error);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    update.mutate({
      workspaceId,
      budgetId: budget.id,
      name: String(form.get('name') ?? ''),
      monthlyLimitUsd: String(form.get('monthlyLimitUsd') ?? ''),
      enforcement: form.get('enforcement') === 'soft' ? 'soft' : 'hard',
    });
  }
  return (
    <form ref={formRef} onSubmit={onSubmit} className="mt-4 grid gap-3 sm:grid-cols-3 sm:items-start" noValidate aria-label={`Edit ${budget.name}`}>
      <TextField label="Name" name="name" defaultValue={budget.name} error={fieldError(update.error, 'name')} />
      <TextField label="Monthly limit (USD)" name="monthlyLimitUsd" inputMode="decimal" defaultValue={String(budget.monthlyLimitUsd)} error={fieldError(update.error, 'monthlyLimitUsd')} />
      <SelectField
        label="When reached"
        name="enforcement"
        defaultValue={budget.enforcement}
        options={[
          { value: 'hard', label: 'Hard: refuse calls' },
          { value: 'soft', label: 'Soft: alert only' },
        ]}
      />
      <div className="flex gap-2 sm:col-span-3">
        <Button type="submit" pending={update.isPending} pendingLabel="Saving…">
          Save
        </Button>
        <Button type="button" variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
      {formError(update.error) && (
        <div className="sm:col-span-3">
          <FormErrorSummary message={formError(update.error)} summaryRef={summaryRef} />
        </div>
      )}
    </form>
  );
}

export function BudgetsList({ workspaceId, budgets, canWrite }: { workspaceId: string; budgets: BudgetItem[]; canWrite: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [editing, setEditing] = useState<string>();
  const [refreshing, startRefresh] = useTransition();
  const toast = useToast();
  const remove = useMutation(
    trpc.budgets.delete.mutationOptions({
      onSuccess: (_, { budgetId }) => {
        toast(`Deleted the budget ${budgets.find((b) => b.id === budgetId)?.name ?? ''}`.trim());
        startRefresh(() => router.refresh());
      },
    }),
  );

  if (budgets.length === 0) {
    return <EmptyState title="No budgets yet">Set a monthly limit for the workspace or one agent to be alerted, or stopped, before spend runs away.</EmptyState>;
  }
  return (
    <div className="space-y-4">
      {formError(remove.error) && <Alert>{formError(remove.error)}</Alert>}
      <ul className="space-y-4">
        {budgets.map((b) => {
          const used = b.spentUsd + b.reservedUsd;
          const percent = Math.min(100, (used / b.monthlyLimitUsd) * 100);
          return (
            <li key={b.id} className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="budget" aria-label={`Budget ${b.name}`}>
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <div>
                  <h3 className="text-base font-semibold text-slate-900">{b.name}</h3>
                  <p className="text-sm text-slate-600">
                    {b.agentId ? `Agent ${b.agentName ?? '(deleted)'}` : 'Whole workspace'} ·{' '}
                    {b.enforcement === 'hard' ? 'Hard limit: calls that could pass it are refused' : 'Soft limit: alerts only'}
                  </p>
                </div>
                {canWrite && editing !== b.id && (
                  <div className="flex gap-2">
                    <Button variant="secondary" onClick={() => setEditing(b.id)} aria-label={`Edit ${b.name}`}>
                      Edit
                    </Button>
                    <ConfirmButton
                      nowrap
                      question={`Delete the budget ${b.name}?`}
                      confirmLabel="Delete"
                      pending={(remove.isPending || refreshing) && remove.variables?.budgetId === b.id}
                      pendingLabel="Deleting…"
                      onConfirm={() => remove.mutate({ workspaceId, budgetId: b.id })}
                    >
                      Delete
                    </ConfirmButton>
                  </div>
                )}
              </div>
              <dl className="mt-3 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
                <div>
                  <dt className="text-slate-500">Spent this month</dt>
                  <dd className="font-mono text-slate-900" data-testid="budget-spent">{formatBudgetUsd(b.spentUsd)}</dd>
                </div>
                <div>
                  <dt className="text-slate-500">Reserved by calls in flight</dt>
                  <dd className="font-mono text-slate-900">{formatBudgetUsd(b.reservedUsd)}</dd>
                </div>
                <div>
                  <dt className="text-slate-500">Monthly limit</dt>
                  <dd className="font-mono text-slate-900" data-testid="budget-limit">{formatBudgetUsd(b.monthlyLimitUsd)}</dd>
                </div>
                <div>
                  <dt className="text-slate-500">Thresholds reached</dt>
                  <dd className="text-slate-900" data-testid="budget-alerts">{b.alerts.length ? b.alerts.map((t) => `${t}%`).join(', ') : 'None'}</dd>
                </div>
              </dl>
              <div
                className="mt-3 h-2 overflow-hidden rounded bg-slate-100"
                role="progressbar"
                aria-label={`${b.name}: share of the limit used`}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(percent)}
              >
                <div className={`h-full ${percent >= 100 ? 'bg-red-600' : percent >= 80 ? 'bg-amber-500' : 'bg-accent-600'}`} style={{ width: `${percent}%` }} />
              </div>
              {editing === b.id && <EditBudget workspaceId={workspaceId} budget={b} onDone={() => setEditing(undefined)} />}
              <div className="mt-4">
                <BudgetBurnDown name={b.name} days={b.burnDown} limitUsd={b.monthlyLimitUsd} />
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
