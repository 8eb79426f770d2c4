'use client';
// Defines or changes a custom HTTP tool: what the model reads (name, description,
// JSON-schema parameters), where the call goes (method, URL template) and which
// workspace secret fills the auth header. The secret is picked by name; its value
// never reaches this page.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Button } from '../ui/button';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';
import { useToast } from '../ui/toast';
import { SelectField } from '../ui/select-field';
import { TextField } from '../ui/text-field';
import { formProblem, problemAt } from './form-problems';
import { TextAreaField } from './text-area-field';

const FIELDS = ['name', 'description', 'urlTemplate', 'parameters', 'auth.secretName', 'authSecretName', 'auth.header', 'authHeader', 'headers'];

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];

export type CustomToolRow = {
  id: string;
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  method: Method;
  urlTemplate: string;
  headers: Record<string, string>;
  auth: { header: string; secretName: string | null; prefix: string } | null;
  enabled: boolean;
};

const EXAMPLE_PARAMETERS = JSON.stringify(
  { type: 'object', properties: { order_id: { type: 'string', description: 'The order number' } }, required: ['order_id'] },
  null,
  2,
);

function parseObject(text: string, what: string): { value?: Record<string, unknown>; error?: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: `Enter ${what} as a JSON object` };
    return { value: value as Record<string, unknown> };
  } catch {
    return { error: 'This is not valid JSON' };
  }
}

export function CustomToolForm(props: { workspaceId: string; secretNames: string[]; tool?: CustomToolRow; onDone?: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [local, setLocal] = useState<{ parameters?: string; headers?: string }>({});
  // A new value on each submit the browser refused, so focus moves to the field again.
  const [localAttempt, setLocalAttempt] = useState<object>();
  const done = (saved: { name: string }) => {
    toast(props.tool ? `Saved ${saved.name}` : `Added ${saved.name}`);
    if (!props.tool) formRef.current?.reset();
    router.refresh();
    props.onDone?.();
  };
  const create = useMutation(trpc.tools.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.tools.update.mutationOptions({ onSuccess: done }));
  const mutation = props.tool ? update : create;
  const tool = props.tool;
  const { formRef, summaryRef } = useFocusOnError(mutation.error ?? localAttempt);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '');
    const parameters = parseObject(text('parameters'), 'the parameters');
    const headers = text('headers').trim() === '' ? { value: {} } : parseObject(text('headers'), 'the headers');
    setLocal({ parameters: parameters.error, headers: headers.error });
    setLocalAttempt(parameters.error || headers.error ? {} : undefined);
    if (parameters.error || headers.error) return;
    const fields = {
      workspaceId: props.workspaceId,
      description: text('description'),
      parameters: parameters.value!,
      method: text('method') as Method,
      urlTemplate: text('urlTemplate'),
      headers: headers.value as Record<string, string>,
      authHeader: text('authSecretName') ? text('authHeader') : '',
      authSecretName: text('authSecretName'),
      authPrefix: text('authSecretName') ? text('authPrefix') : '',
      enabled: form.get('enabled') === 'on',
    };
    if (tool) update.mutate({ ...fields, toolId: tool.id });
    else create.mutate({ ...fields, name: text('name') });
  }

  const secretOptions = [{ value: '', label: 'No auth header' }, ...props.secretNames.map((n) => ({ value: n, label: n }))];
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-2">
        {tool ? (
          <TextField label="Name" name="name" defaultValue={tool.name} disabled className="font-mono" hint="Agents enable a tool by its name, so it stays fixed." />
        ) : (
          <TextField label="Name" name="name" required spellCheck={false} placeholder="order_lookup" className="font-mono" error={problemAt(mutation.error, 'name')} />
        )}
        <TextField label="Description" name="description" required defaultValue={tool?.description} hint="The model reads this to decide when to call the tool." error={problemAt(mutation.error, 'description')} />
      </div>
      <div className="grid gap-3 sm:grid-cols-[8rem_1fr]">
        <SelectField label="Method" name="method" defaultValue={tool?.method ?? 'GET'} options={METHODS.map((m) => ({ value: m, label: m }))} />
        <TextField
          label="URL template"
          name="urlTemplate"
          required
          spellCheck={false}
          className="font-mono"
          defaultValue={tool?.urlTemplate}
          placeholder="https://api.example.com/orders/{order_id}"
          hint="{placeholders} fill the path and query from required parameters; other arguments go in the query (GET, DELETE) or a JSON body. Saving puts the host on the egress allow-list."
          error={problemAt(mutation.error, 'urlTemplate')}
        />
      </div>
      <TextAreaField
        label="Parameters (JSON schema)"
        name="parameters"
        rows={7}
        spellCheck={false}
        defaultValue={tool ? JSON.stringify(tool.parameters, null, 2) : EXAMPLE_PARAMETERS}
        error={local.parameters ?? problemAt(mutation.error, 'parameters')}
      />
      <div className="grid gap-3 sm:grid-cols-3">
        <SelectField
          label="Auth secret"
          name="authSecretName"
          defaultValue={tool?.auth?.secretName ?? ''}
          options={secretOptions}
          error={problemAt(mutation.error, 'authSecretName', 'auth.secretName')}
        />
        <TextField label="Auth header" name="authHeader" spellCheck={false} defaultValue={tool?.auth?.header ?? 'Authorization'} error={problemAt(mutation.error, 'authHeader', 'auth.header')} />
        <TextField label="Value prefix" name="authPrefix" spellCheck={false} defaultValue={tool?.auth?.prefix ?? 'Bearer '} hint='Put before the secret, e.g. "Bearer ".' />
      </div>
      {props.secretNames.length === 0 && <p className="text-xs text-slate-500">No secrets yet: add one on the Secrets page to send an auth header.</p>}
      <TextAreaField
        label="Other headers (JSON, optional)"
        name="headers"
        rows={2}
        spellCheck={false}
        defaultValue={tool && Object.keys(tool.headers).length > 0 ? JSON.stringify(tool.headers) : ''}
        placeholder='{"Accept": "application/json"}'
        error={local.headers ?? problemAt(mutation.error, 'headers')}
      />
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" name="enabled" defaultChecked={tool?.enabled ?? true} />
        Enabled: agents that enable it may call it
      </label>
      <div className="flex gap-2">
        <Button type="submit" pending={mutation.isPending} pendingLabel="Saving…">
          {tool ? 'Save tool' : 'Add tool'}
        </Button>
        {props.onDone && (
          <Button variant="ghost" onClick={props.onDone}>
            Cancel
          </Button>
        )}
      </div>
      <FormErrorSummary message={formProblem(mutation.error, FIELDS)} summaryRef={summaryRef} />
    </form>
  );
}
