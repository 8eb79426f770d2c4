'use client';
// Creates an agent or publishes a new version of one. Every field of a version is
// here; publishing writes a new immutable version with its change note. Viewers get
// the same fields read-only and no submit button.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';
import { FormErrorSummary, useFocusOnError } from '../ui/form-feedback';
import { useToast } from '../ui/toast';
import { TextField } from '../ui/text-field';
import { parseOutputSchema, parseVariables, variablesText, type EditableVersion } from './agent-form-values';
import { CACHE_FIELDS, CacheSettingsFields, parseCacheSettings, type CacheSettingsErrors } from './cache-settings-fields';
import { formProblem, problemAt } from './form-problems';
import { TextAreaField } from './text-area-field';

const FIELDS = ['name', 'description', 'systemPrompt', 'variables', 'model', 'temperature', 'maxSteps', 'maxRunSeconds', 'tools', 'knowledgeBaseIds', 'outputSchema', 'changeNote', ...CACHE_FIELDS];

export type ToolChoice = { name: string; description: string; kind: 'built-in' | 'custom' };

type Props = {
  workspaceId: string;
  slug: string;
  availableTools: ToolChoice[];
  knowledgeBases: { id: string; name: string }[];
  modelSuggestions: string[];
  readOnly: boolean;
  initial: EditableVersion & { name: string; description: string };
} & ({ mode: 'create' } | { mode: 'publish'; agentId: string; nextVersion: number });

type LocalErrors = Partial<Record<'variables' | 'outputSchema', string>> & CacheSettingsErrors;

export function AgentForm(props: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [local, setLocal] = useState<LocalErrors>({});
  // A new value on each submit the browser refused, so focus moves to the field again.
  const [localAttempt, setLocalAttempt] = useState<object>();
  const [published, setPublished] = useState<number>();
  const create = useMutation(
    trpc.agents.create.mutationOptions({
      onSuccess: (agent) => {
        toast(`Created ${agent.name}`);
        router.push(`/w/${props.slug}/agents/${agent.id}`);
      },
    }),
  );
  const publish = useMutation(
    trpc.agents.publish.mutationOptions({
      onSuccess: (agent) => {
        setPublished(agent.publishedVersion);
        const note = formRef.current?.elements.namedItem('changeNote');
        if (note instanceof HTMLInputElement) note.value = '';
        router.refresh();
      },
    }),
  );
  const mutation = props.mode === 'create' ? create : publish;
  const error = mutation.error;
  const { formRef, summaryRef } = useFocusOnError(error ?? localAttempt);
  const { initial } = props;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPublished(undefined);
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '');
    const variables = parseVariables(text('variables'));
    const outputSchema = parseOutputSchema(text('outputSchema'));
    const cache = parseCacheSettings(form);
    const problems: LocalErrors = { variables: variables.error, outputSchema: outputSchema.error, ...cache.errors };
    setLocal(problems);
    const refused = Object.values(problems).some(Boolean);
    setLocalAttempt(refused ? {} : undefined);
    if (refused) return;
    const content = {
      workspaceId: props.workspaceId,
      description: text('description'),
      systemPrompt: text('systemPrompt'),
      variables: variables.value!,
      model: text('model'),
      temperature: Number(text('temperature')),
      maxSteps: Number(text('maxSteps')),
      maxRunSeconds: Number(text('maxRunSeconds')),
      tools: form.getAll('tools').map(String),
      memoryEnabled: form.get('memoryEnabled') === 'on',
      knowledgeBaseIds: form.getAll('knowledgeBaseIds').map(String),
      knowledgeMode: text('knowledgeMode') === 'automatic' ? ('automatic' as const) : ('tool' as const),
      outputSchema: outputSchema.value!,
      ...cache.value!,
      changeNote: text('changeNote'),
    };
    if (props.mode === 'create') create.mutate({ ...content, name: text('name') });
    else publish.mutate({ ...content, agentId: props.agentId });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-5">
      <fieldset disabled={props.readOnly} className="space-y-5">
        <legend className="sr-only">Agent settings</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          {props.mode === 'create' ? (
            <TextField label="Name" name="name" required defaultValue={initial.name} placeholder="Support assistant" error={problemAt(error, 'name')} />
          ) : (
            <TextField label="Name" name="name" defaultValue={initial.name} disabled hint="An agent's name stays fixed." />
          )}
          <TextField label="Description" name="description" defaultValue={initial.description} error={problemAt(error, 'description')} />
        </div>
        <TextAreaField
          label="System prompt"
          name="systemPrompt"
          rows={10}
          required
          defaultValue={initial.systemPrompt}
          spellCheck={false}
          hint="Use {{variable}} for values given per run and {{> snippet-name}} to include a snippet from the prompt library."
          error={problemAt(error, 'systemPrompt')}
        />
        <TextAreaField
          label="Variables"
          name="variables"
          rows={3}
          defaultValue={variablesText(initial.variables)}
          spellCheck={false}
          hint={'One per line: "name = default". A name alone must be given by each run.'}
          error={local.variables ?? problemAt(error, 'variables')}
        />
        <div className="grid gap-4 sm:grid-cols-4">
          <TextField label="Model" name="model" list="agent-models" required defaultValue={initial.model} className="sm:col-span-2" error={problemAt(error, 'model')} />
          <datalist id="agent-models">
            {props.modelSuggestions.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
          <TextField label="Temperature" name="temperature" type="number" step="0.1" min={0} max={2} defaultValue={initial.temperature} error={problemAt(error, 'temperature')} />
          <TextField label="Max steps" name="maxSteps" type="number" min={1} max={100} defaultValue={initial.maxSteps} error={problemAt(error, 'maxSteps')} />
          <TextField
            label="Max run duration (seconds)"
            name="maxRunSeconds"
            type="number"
            min={1}
            max={3600}
            defaultValue={initial.maxRunSeconds}
            className="sm:col-span-2"
            error={problemAt(error, 'maxRunSeconds')}
          />
        </div>
        <fieldset>
          <legend className="mb-1 text-sm font-medium text-slate-700">Tools</legend>
          {props.availableTools.length === 0 ? (
            <p className="text-sm text-slate-500">No tools available.</p>
          ) : (
            <ul className="grid gap-2 sm:grid-cols-2">
              {props.availableTools.map((t) => (
                <li key={t.name}>
                  <label className="flex items-start gap-2 text-sm">
                    <input type="checkbox" name="tools" value={t.name} defaultChecked={initial.tools.includes(t.name)} className="mt-1" />
                    <span>
                      <span className="font-mono text-slate-900">{t.name}</span>
                      <span className="ml-1 text-xs text-slate-500">({t.kind})</span>
                      <span className="block text-xs text-slate-500">{t.description}</span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          )}
          {problemAt(error, 'tools') && <p className="mt-1 text-sm text-red-600">{problemAt(error, 'tools')}</p>}
        </fieldset>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" name="memoryEnabled" defaultChecked={initial.memoryEnabled} />
          Memory: remember facts about each end user across threads
        </label>
        <fieldset>
          <legend className="mb-1 text-sm font-medium text-slate-700">Knowledge bases</legend>
          {props.knowledgeBases.length === 0 ? (
            <p className="text-sm text-slate-500">No knowledge bases in this workspace yet.</p>
          ) : (
            <ul className="grid gap-2 sm:grid-cols-2">
              {props.knowledgeBases.map((kb) => (
                <li key={kb.id}>
                  <label className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="knowledgeBaseIds" value={kb.id} defaultChecked={initial.knowledgeBaseIds.includes(kb.id)} />
                    {kb.name}
                  </label>
                </li>
              ))}
            </ul>
          )}
          {problemAt(error, 'knowledgeBaseIds') && <p className="mt-1 text-sm text-red-600">{problemAt(error, 'knowledgeBaseIds')}</p>}
          <div className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-700" role="radiogroup" aria-label="How the agent retrieves">
            <label className="flex items-center gap-2">
              <input type="radio" name="knowledgeMode" value="automatic" defaultChecked={initial.knowledgeMode === 'automatic'} />
              Retrieve automatically into the context
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="knowledgeMode" value="tool" defaultChecked={initial.knowledgeMode !== 'automatic'} />
              Only when the agent calls knowledge_search
            </label>
          </div>
        </fieldset>
        <TextAreaField
          label="Structured output (JSON schema)"
          name="outputSchema"
          rows={5}
          defaultValue={initial.outputSchema ? JSON.stringify(initial.outputSchema, null, 2) : ''}
          spellCheck={false}
          hint='Leave empty for free text. Otherwise an object schema, e.g. {"type": "object", "properties": {"answer": {"type": "string"}}}.'
          error={local.outputSchema ?? problemAt(error, 'outputSchema')}
        />
        <CacheSettingsFields initial={initial} errors={{ ...local, server: (field) => problemAt(error, field) }} />
      </fieldset>
      {!props.readOnly && (
        <div className="flex flex-wrap items-end gap-3 border-t border-slate-100 pt-4">
          <TextField
            label="Change note"
            name="changeNote"
            className="min-w-64 flex-1"
            placeholder={props.mode === 'create' ? 'First version' : 'What changed and why'}
            error={problemAt(error, 'changeNote')}
          />
          <Button type="submit" pending={mutation.isPending} pendingLabel={props.mode === 'create' ? 'Creating…' : 'Publishing…'}>
            {props.mode === 'create' ? 'Create agent' : `Publish new version (v${props.nextVersion})`}
          </Button>
        </div>
      )}
      <FormErrorSummary message={formProblem(error, FIELDS)} summaryRef={summaryRef} />
      {published && !mutation.isPending && <Alert tone="success">Published v{published}.</Alert>}
    </form>
  );
}
