'use client';
// The workspace policy as one form: PII actions per type, content rules, the tool,
// model and provider allow-lists and the approval rules. Admins save it as a new
// version; everyone can test text against the draft on screen, which the server
// screens with the same code that enforces the policy in runs.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent } from 'react';
import type { PolicyDocument } from '@/server/governance/policy-document';
import { TextAreaField } from '../agents/text-area-field';
import { formProblem, problemAt } from '../agents/form-problems';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { SelectField } from '../ui/select-field';
import { TextField } from '../ui/text-field';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';
import { useToast } from '../ui/toast';

// Kept here rather than imported: the policy module also reads the database.
const PII_ROWS = [
  { type: 'email', label: 'Email addresses' },
  { type: 'phone', label: 'Phone numbers' },
  { type: 'payment_card', label: 'Payment cards (Luhn-checked)' },
  { type: 'iban', label: 'IBANs (checksum)' },
  { type: 'us_ssn', label: 'US social security numbers' },
  { type: 'ip_address', label: 'IP addresses (v4 and v6)' },
  { type: 'secret', label: 'Secrets (API keys, tokens)' },
] as const;
const ACTIONS = [
  { value: 'allow', label: 'Allow' },
  { value: 'redact', label: 'Redact' },
  { value: 'block', label: 'Block the run' },
];
const KINDS = [
  { value: 'term', label: 'Blocked term' },
  { value: 'pattern', label: 'Pattern (regex)' },
];
const DIRECTIONS = [
  { value: 'both', label: 'Input and output' },
  { value: 'input', label: 'Input only' },
  { value: 'output', label: 'Output only' },
];
const SHOWN_FIELDS = ['allowLists.providers', 'document'];

type Rule = PolicyDocument['content']['rules'][number];

export type PolicyEditorProps = {
  workspaceId: string;
  version: number;
  document: PolicyDocument;
  canWrite: boolean;
  toolNames: string[];
  providers: { id: string; name: string }[];
};

export function PolicyEditor(props: PolicyEditorProps) {
  const trpc = useTRPC();
  const router = useRouter();
  const [draft, setDraft] = useState<PolicyDocument>(props.document);
  const [refreshing, startRefresh] = useTransition();
  const toast = useToast();
  const save = useMutation(
    trpc.policies.save.mutationOptions({
      onSuccess: (saved) => {
        toast(`Saved policy version ${saved.version}`);
        startRefresh(() => router.refresh());
      },
    }),
  );
  const { formRef, summaryRef } = useFocusOnError(save.error);
  const readOnly = !props.canWrite;

  function update(change: (d: PolicyDocument) => PolicyDocument) {
    if (save.isSuccess) save.reset();
    setDraft((d) => change(structuredClone(d)));
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate({ workspaceId: props.workspaceId, document: { ...draft, allowLists: { ...draft.allowLists, models: draft.allowLists.models?.filter(Boolean) ?? null } }, baseVersion: props.version });
  }

  const problem = formProblem(save.error, SHOWN_FIELDS.concat(draft.content.rules.map((_, i) => `content.rules.${i}.value`)));
  return (
    <div className="space-y-8">
      <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-8" aria-label="Workspace policy">
        <fieldset className="space-y-3" disabled={readOnly}>
          <legend className="text-base font-semibold text-slate-900">Personal data</legend>
          <p className="text-sm text-slate-600">
            Checked in model inputs (messages, tool results, retrieved passages), model outputs, tool arguments, stored steps and logs. Redacted values
            become typed placeholders such as [EMAIL_1]; a blocked type fails the run with a reason that names the type, never the value.
          </p>
          <div className="grid gap-3 sm:grid-cols-2">
            {PII_ROWS.map((row) => (
              <SelectField
                key={row.type}
                label={row.label}
                name={`pii-${row.type}`}
                options={ACTIONS}
                value={draft.pii.actions[row.type]}
                onChange={(e) => update((d) => ((d.pii.actions[row.type] = e.target.value as 'allow'), d))}
              />
            ))}
          </div>
          <label className="flex items-start gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              className="mt-1"
              checked={draft.pii.reversible}
              onChange={(e) => update((d) => ((d.pii.reversible = e.target.checked), d))}
            />
            <span>
              Reversible redaction: the model sees placeholders, the end user&apos;s answer gets the original values back. The mapping lives only in
              the running worker&apos;s memory.
            </span>
          </label>
        </fieldset>

        <fieldset className="space-y-3" disabled={readOnly}>
          <legend className="text-base font-semibold text-slate-900">Content rules</legend>
          <p className="text-sm text-slate-600">
            A run whose input or output matches a rule fails, naming the rule. Terms match whole words in any case; patterns are regular expressions
            without nested repetition, backreferences or lookaround.
          </p>
          {draft.content.rules.length === 0 && <p className="text-sm text-slate-500">No content rules.</p>}
          {draft.content.rules.map((rule, i) => (
            <RuleRow
              key={i}
              index={i}
              rule={rule}
              error={problemAt(save.error, `content.rules.${i}.value`)}
              onChange={(next) => update((d) => ((d.content.rules[i] = next), d))}
              onRemove={() => update((d) => ((d.content.rules = d.content.rules.filter((_, j) => j !== i)), d))}
            />
          ))}
          {!readOnly && (
            <Button variant="secondary" onClick={() => update((d) => ((d.content.rules = [...d.content.rules, { kind: 'term', value: '', appliesTo: 'both' }]), d))}>
              Add a rule
            </Button>
          )}
        </fieldset>

        <fieldset className="space-y-4" disabled={readOnly}>
          <legend className="text-base font-semibold text-slate-900">Allow-lists</legend>
          <p className="text-sm text-slate-600">
            Unrestricted lists allow everything. A tool off the list is not offered to the model, and a call to it gets an error result instead of
            running. A model or provider off the list is refused in the gateway before any request, and the refusal shows in the run&apos;s trace.
          </p>
          <ListChoice
            label="Tools"
            values={draft.allowLists.tools}
            options={props.toolNames.map((name) => ({ value: name, label: name }))}
            onChange={(tools) => update((d) => ((d.allowLists.tools = tools), d))}
          />
          <ListText
            label="Models"
            hint="One model name per line (for example enclave-local-chat). Applies to chat and utility calls; embeddings follow the provider list."
            values={draft.allowLists.models}
            onChange={(models) => update((d) => ((d.allowLists.models = models), d))}
          />
          <ListChoice
            label="Providers"
            values={draft.allowLists.providers}
            options={[{ value: 'local', label: 'Built-in local model' }, ...props.providers.map((p) => ({ value: p.id, label: p.name }))]}
            onChange={(providers) => update((d) => ((d.allowLists.providers = providers), d))}
            error={problemAt(save.error, 'allowLists.providers')}
          />
        </fieldset>

        <fieldset className="space-y-3" disabled={readOnly}>
          <legend className="text-base font-semibold text-slate-900">Approvals</legend>
          <p className="text-sm text-slate-600">A matching model or tool call pauses the run until an admin approves or rejects it.</p>
          <div className="grid gap-3 sm:grid-cols-3">
            <NumberText
              label="Model calls costing more than (USD)"
              name="costAboveUsd"
              placeholder="Never"
              initial={draft.approvals.costAboveUsd}
              onValue={(value) => update((d) => ((d.approvals.costAboveUsd = value === null ? null : Math.min(1_000_000, Math.max(0, value))), d))}
            />
            <TextField
              label="Tools needing approval"
              name="approvalTools"
              placeholder="http_request, send_email"
              hint="Comma-separated tool names."
              value={draft.approvals.tools.join(', ')}
              onChange={(e) => update((d) => ((d.approvals.tools = splitList(e.target.value, /,/)), d))}
            />
            <NumberText
              label="Pending approvals expire after (minutes)"
              name="expiresAfterMinutes"
              hint="1 to 10080 (a week)."
              initial={draft.approvals.expiresAfterMinutes}
              onValue={(value) => update((d) => ((d.approvals.expiresAfterMinutes = Math.min(10_080, Math.max(1, Math.round(value ?? 60)))), d))}
            />
          </div>
        </fieldset>

        {props.canWrite ? (
          <div className="space-y-3">
            <Button type="submit" pending={save.isPending || refreshing} pendingLabel="Saving…">
              Save as version {props.version + 1}
            </Button>
            {save.isSuccess && !refreshing && <Alert tone="success">Saved version {save.data.version}. New runs use it.</Alert>}
            <FormErrorSummary message={problem} summaryRef={summaryRef} />
          </div>
        ) : (
          <Alert tone="info">Only owners and admins can change the policy.</Alert>
        )}
      </form>

      <TestText workspaceId={props.workspaceId} draft={draft} />
    </div>
  );
}

function RuleRow(props: { index: number; rule: Rule; error?: string; onChange: (rule: Rule) => void; onRemove: () => void }) {
  const { rule } = props;
  const n = props.index + 1;
  return (
    <div className="grid gap-3 rounded-md bg-slate-50 p-3 sm:grid-cols-[1fr_1fr_2fr_1fr_auto] sm:items-end">
      <TextField label={`Rule ${n} name`} value={rule.name ?? ''} maxLength={100} placeholder="Optional" onChange={(e) => props.onChange({ ...rule, name: e.target.value || undefined })} />
      <SelectField label={`Rule ${n} kind`} options={KINDS} value={rule.kind} onChange={(e) => props.onChange({ ...rule, kind: e.target.value as Rule['kind'] })} />
      <TextField
        label={`Rule ${n} ${rule.kind === 'term' ? 'term' : 'pattern'}`}
        value={rule.value}
        maxLength={500}
        spellCheck={false}
        error={props.error}
        onChange={(e) => props.onChange({ ...rule, value: e.target.value })}
      />
      <SelectField label={`Rule ${n} applies to`} options={DIRECTIONS} value={rule.appliesTo} onChange={(e) => props.onChange({ ...rule, appliesTo: e.target.value as Rule['appliesTo'] })} />
      <Button variant="secondary" onClick={props.onRemove} aria-label={`Remove rule ${n}`}>
        Remove
      </Button>
    </div>
  );
}

/** A number typed as text (so "0." can become "0.5"); empty is null, anything unreadable is shown as an error. */
function NumberText(props: { label: string; name: string; placeholder?: string; hint?: string; initial: number | null; onValue: (value: number | null) => void }) {
  const [text, setText] = useState(props.initial === null ? '' : String(props.initial));
  const value = text.trim() === '' ? null : Number(text);
  const invalid = value !== null && !Number.isFinite(value);
  return (
    <TextField
      label={props.label}
      name={props.name}
      inputMode="decimal"
      placeholder={props.placeholder}
      hint={props.hint}
      value={text}
      error={invalid ? 'Enter a number.' : undefined}
      onChange={(e) => {
        setText(e.target.value);
        const next = e.target.value.trim() === '' ? null : Number(e.target.value);
        if (next === null || Number.isFinite(next)) props.onValue(next);
      }}
    />
  );
}

/** A list that is either unrestricted (null) or exactly the checked options. */
function ListChoice(props: { label: string; values: string[] | null; options: { value: string; label: string }[]; onChange: (values: string[] | null) => void; error?: string }) {
  const restricted = props.values !== null;
  return (
    <div className="space-y-2">
      <label className="flex items-center gap-2 text-sm font-medium text-slate-700">
        <input type="checkbox" checked={restricted} onChange={(e) => props.onChange(e.target.checked ? props.options.map((o) => o.value) : null)} />
        Restrict {props.label.toLowerCase()}
      </label>
      {restricted && (
        <div role="group" aria-label={`Allowed ${props.label.toLowerCase()}`} className="flex flex-wrap gap-x-5 gap-y-2 pl-6">
          {props.options.length === 0 && <p className="text-sm text-slate-500">None defined.</p>}
          {props.options.map((option) => (
            <label key={option.value} className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                checked={props.values!.includes(option.value)}
                onChange={(e) => props.onChange(e.target.checked ? [...props.values!, option.value] : props.values!.filter((v) => v !== option.value))}
              />
              {option.label}
            </label>
          ))}
        </div>
      )}
      {props.error && <p className="text-sm text-red-600">{props.error}</p>}
    </div>
  );
}

function ListText(props: { label: string; hint: string; values: string[] | null; onChange: (values: string[] | null) => void }) {
  const restricted = props.values !== null;
  return (
    <div className="space-y-2">
      <label className="flex items-center gap-2 text-sm font-medium text-slate-700">
        <input type="checkbox" checked={restricted} onChange={(e) => props.onChange(e.target.checked ? [] : null)} />
        Restrict {props.label.toLowerCase()}
      </label>
      {restricted && (
        <TextAreaField
          label={`Allowed ${props.label.toLowerCase()}`}
          hint={props.hint}
          rows={3}
          spellCheck={false}
          className="pl-6"
          value={props.values!.join('\n')}
          onChange={(e) => props.onChange(splitList(e.target.value, /\n/, true))}
        />
      )}
    </div>
  );
}

/** Entries of a typed list; `keepLast` keeps an empty last line so typing a newline works. */
function splitList(text: string, separator: RegExp, keepLast = false): string[] {
  const parts = text.split(separator).map((p) => p.trim());
  const last = parts.at(-1);
  const entries = parts.filter(Boolean);
  return keepLast && last === '' && parts.length > 1 ? [...entries, ''] : entries;
}

function TestText({ workspaceId, draft }: { workspaceId: string; draft: PolicyDocument }) {
  const trpc = useTRPC();
  const [text, setText] = useState('');
  const [direction, setDirection] = useState<'input' | 'output'>('input');
  const test = useMutation(trpc.policies.test.mutationOptions());
  const { formRef, summaryRef } = useFocusOnError(test.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    test.mutate({ workspaceId, text, direction, draft: withoutBlankEntries(draft) });
  }

  const result = test.data;
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-3 border-t border-slate-200 pt-6" aria-label="Test this text">
      <h2 className="text-base font-semibold text-slate-900">Test this text</h2>
      <p className="text-sm text-slate-600">Checks the policy as it is on screen (saved or not), exactly as a run would.</p>
      <TextAreaField label="Text" name="testText" rows={4} value={text} onChange={(e) => setText(e.target.value)} error={problemAt(test.error, 'text')} />
      <div className="flex flex-wrap items-end gap-3">
        <SelectField
          label="As"
          options={[
            { value: 'input', label: 'Model input' },
            { value: 'output', label: 'Model output' },
          ]}
          value={direction}
          onChange={(e) => setDirection(e.target.value as 'input' | 'output')}
        />
        <Button type="submit" pending={test.isPending} pendingLabel="Testing…">
          Test
        </Button>
      </div>
      <FormErrorSummary message={test.error && !problemAt(test.error, 'text') ? formProblem(test.error, ['text']) : undefined} summaryRef={summaryRef} />
      {result && (
        <div className="space-y-3" aria-live="polite" data-testid="policy-test-result">
          {result.refusal ? <Alert>Blocked: {result.refusal}</Alert> : <Alert tone="success">Allowed.</Alert>}
          {!result.refusal && (
            <div>
              <p className="mb-1 text-sm font-medium text-slate-700">What the model would see</p>
              <pre className="whitespace-pre-wrap rounded-md bg-slate-50 p-3 text-sm text-slate-900" data-testid="policy-test-text">
                {result.text}
              </pre>
            </div>
          )}
          {result.detections.length === 0 ? (
            <p className="text-sm text-slate-500">No personal data or secrets found.</p>
          ) : (
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Detections</caption>
              <thead>
                <tr className="text-slate-500">
                  <th className="py-1 font-medium">Found</th>
                  <th className="py-1 font-medium">Type</th>
                  <th className="py-1 font-medium">Action</th>
                  <th className="py-1 font-medium">Placeholder</th>
                </tr>
              </thead>
              <tbody>
                {result.detections.map((d) => (
                  <tr key={`${d.start}-${d.end}`} className="border-t border-slate-100">
                    <td className="py-1 font-mono">{text.slice(d.start, d.end)}</td>
                    <td className="py-1">{d.label}</td>
                    <td className="py-1">{d.action}</td>
                    <td className="py-1 font-mono">{d.placeholder ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </form>
  );
}

/** Half-typed list lines and rules are left out of a test (saving reports them). */
function withoutBlankEntries(document: PolicyDocument): PolicyDocument {
  return {
    ...document,
    content: { rules: document.content.rules.filter((r) => r.value.trim() !== '') },
    allowLists: { ...document.allowLists, models: document.allowLists.models?.filter(Boolean) ?? null },
  };
}
