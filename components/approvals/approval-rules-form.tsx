'use client';
// The approval rules of the workspace's policy: tools whose calls wait for an
// approval, a model-call cost above which a call waits, and how long a request
// waits before it expires. Saving writes a new policy version; the server checks
// every field and its messages show beside them.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useTRPC } from '../trpc-provider';
import { Button } from '../ui/button';
import { FormAlert, useFocusOnError } from '../ui/form-feedback';
import { fieldError } from '../ui/mutation-errors';
import { TextField } from '../ui/text-field';
import { useToast } from '../ui/toast';

type Rules = { costAboveUsd: number | null; tools: string[]; expiresAfterMinutes: number };

export function ApprovalRulesForm({ workspaceId, rules }: { workspaceId: string; rules: Rules }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [tools, setTools] = useState(rules.tools.join(', '));
  const [cost, setCost] = useState(rules.costAboveUsd === null ? '' : String(rules.costAboveUsd));
  const [minutes, setMinutes] = useState(String(rules.expiresAfterMinutes));
  const save = useMutation(
    trpc.approvals.saveRules.mutationOptions({
      onSuccess: (saved) => {
        toast(`Approval rules saved (policy version ${saved.policyVersion})`);
        router.refresh();
      },
    }),
  );
  const { formRef, summaryRef } = useFocusOnError(save.error);
  return (
    <form
      ref={formRef}
      className="space-y-3"
      aria-label="Approval rules"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({
          workspaceId,
          tools: tools.split(',').map((t) => t.trim()).filter(Boolean),
          // Not a number is sent as NaN for the server to refuse with its message.
          costAboveUsd: cost.trim() === '' ? null : Number(cost),
          expiresAfterMinutes: Number(minutes),
        });
      }}
    >
      <FormAlert error={save.error} summaryRef={summaryRef} />
      <TextField
        label="Tools that need an approval"
        hint="Tool names, separated by commas (e.g. http_request, run_javascript). Empty: no tool waits."
        value={tools}
        onChange={(e) => setTools(e.target.value)}
        error={fieldError(save.error, 'tools')}
      />
      <TextField
        label="Model calls above this cost need an approval (USD)"
        hint="The call's worst case: its prompt plus the output cap, at list price. Empty: no model call waits."
        inputMode="decimal"
        value={cost}
        onChange={(e) => setCost(e.target.value)}
        error={fieldError(save.error, 'costAboveUsd')}
      />
      <TextField
        label="A request expires after (minutes)"
        inputMode="numeric"
        value={minutes}
        onChange={(e) => setMinutes(e.target.value)}
        error={fieldError(save.error, 'expiresAfterMinutes')}
      />
      <Button type="submit" pending={save.isPending} pendingLabel="Saving…">
        Save approval rules
      </Button>
    </form>
  );
}
