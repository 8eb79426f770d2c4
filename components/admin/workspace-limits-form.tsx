'use client';
// The operator sets one workspace's plan and, per limit, an override (left empty,
// the plan's value applies). Saved together; each change is recorded in that
// workspace's audit log.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import { LIMIT_FIELDS, LIMIT_LABELS, PLAN_IDS, type LimitField, type LimitOverrides, type PlanId } from '@/server/governance/limit-fields';
import { useTRPC } from '../trpc-provider';
import { Button } from '../ui/button';
import { FormAlert, useFocusOnError } from '../ui/form-feedback';
import { fieldError } from '../ui/mutation-errors';
import { SelectField } from '../ui/select-field';
import { TextField } from '../ui/text-field';

type Plan = { id: PlanId; name: string } & Record<LimitField, number>;

function asText(overrides: LimitOverrides): Record<LimitField, string> {
  return Object.fromEntries(LIMIT_FIELDS.map((f) => [f, overrides[f] === null ? '' : String(overrides[f])])) as Record<LimitField, string>;
}

export function WorkspaceLimitsForm({ workspaceId, name, plan, overrides, plans }: { workspaceId: string; name: string; plan: PlanId; overrides: LimitOverrides; plans: Plan[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const [chosenPlan, setChosenPlan] = useState<PlanId>(plan);
  const [values, setValues] = useState(asText(overrides));
  const [localErrors, setLocalErrors] = useState<Partial<Record<LimitField, string>>>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.limits.set.mutationOptions({
      onSuccess: () => {
        setSaved(true);
        startRefresh(() => router.refresh());
      },
    }),
  );
  const { formRef, summaryRef } = useFocusOnError(save.error ?? (Object.keys(localErrors).length ? localErrors : null));
  const planValues = plans.find((p) => p.id === chosenPlan);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const errors: Partial<Record<LimitField, string>> = {};
    const parsed = {} as LimitOverrides;
    for (const field of LIMIT_FIELDS) {
      const text = values[field].trim().replaceAll(',', '').replaceAll('_', '');
      if (!text) parsed[field] = null;
      else if (/^\d+$/.test(text) && Number(text) >= 1 && Number.isSafeInteger(Number(text))) parsed[field] = Number(text);
      else errors[field] = 'Enter a whole number of at least 1, or leave it empty for the plan’s value.';
    }
    setLocalErrors(errors);
    if (Object.keys(errors).length) return;
    save.mutate({ workspaceId, plan: chosenPlan, overrides: parsed });
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-label={`Plan and limits of ${name}`} className="space-y-4">
      <FormAlert error={save.error} summaryRef={summaryRef} />
      <SelectField
        label="Plan"
        value={chosenPlan}
        onChange={(e) => setChosenPlan(e.target.value as PlanId)}
        options={PLAN_IDS.map((id) => ({ value: id, label: plans.find((p) => p.id === id)?.name ?? id }))}
        error={fieldError(save.error, 'plan')}
      />
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {LIMIT_FIELDS.map((field) => (
          <TextField
            key={field}
            label={LIMIT_LABELS[field]}
            inputMode="numeric"
            value={values[field]}
            placeholder={planValues ? planValues[field].toLocaleString('en-US') : ''}
            hint="Empty: the plan’s value"
            onChange={(e) => setValues((v) => ({ ...v, [field]: e.target.value }))}
            error={localErrors[field] ?? fieldError(save.error, field)}
          />
        ))}
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" pending={save.isPending || refreshing} pendingLabel="Saving…">
          Save plan and limits
        </Button>
        {saved && !save.isPending && (
          <p role="status" className="text-sm text-emerald-700">
            Saved and recorded in the workspace’s audit log.
          </p>
        )}
      </div>
    </form>
  );
}
