'use client';
// The playground: type a message, start a run of the agent's published version
// (a server action), then follow the run's events — status, the answer growing
// token by token (a polite live region), each step as it is written — streamed
// over SSE from whichever worker executes it, with the run's trace waterfall
// beside the answer, read again as each step or status event arrives. With an
// end user named, each message continues that end user's thread until "New thread".
// A run paused for an approval says so and points to the approvals inbox; the
// stream goes on and shows the rest once it is approved.
import Link from 'next/link';
import { useActionState, useEffect, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { FormErrorSummary, useFocusOnError } from '@/components/ui/form-feedback';
import { Button } from '@/components/ui/button';
import { inputClass } from '@/components/ui/text-field';
import { RunTracePanel } from '@/components/traces/run-trace-panel';
import { withDelta, withStepWritten, type RunDeltaEvent, type RunStatusEvent, type RunStepEvent, type StreamingText } from './run-events';
import { RunSteps } from './run-steps';
import { RunCitations } from './run-citations';
import { startRunAction, type StartRunState } from './start-run-action';

const STATUS_LABEL: Record<RunStatusEvent['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  awaiting_approval: 'Awaiting approval',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  timed_out: 'Timed out',
  budget_exceeded: 'Budget exceeded',
};

// One object for every render: the server render hands the initial state back as
// given, and the thread tracking below compares states by identity.
const NO_RUN: StartRunState = { runId: null, error: null, input: '', endUser: '', threadId: null };

export function Playground({ workspaceId, workspaceSlug, agentId, canRun }: { workspaceId: string; workspaceSlug: string; agentId: string; canRun: boolean }) {
  const [state, start, pending] = useActionState<StartRunState, FormData>(startRunAction, NO_RUN);
  // The thread the next message continues: the last run's, until the end user changes or a new thread is asked for.
  const [threadId, setThreadId] = useState<string | null>(null);
  const [threadOf, setThreadOf] = useState<StartRunState | null>(null);
  if (threadOf !== state) {
    setThreadOf(state);
    if (state.runId) setThreadId(state.threadId);
  }
  const [steps, setSteps] = useState<RunStepEvent[]>([]);
  const [status, setStatus] = useState<RunStatusEvent | null>(null);
  const [streaming, setStreaming] = useState<StreamingText>(null);
  const [streamError, setStreamError] = useState<string | null>(null);
  // A refused start moves focus to its message (the Run button was disabled while pending).
  const { formRef, summaryRef } = useFocusOnError(state.error ? state : null);

  useEffect(() => {
    if (!state.runId) return;
    setSteps([]);
    setStatus(null);
    setStreaming(null);
    setStreamError(null);
    const source = new EventSource(`/api/runs/${state.runId}/events?workspaceId=${encodeURIComponent(workspaceId)}`);
    source.addEventListener('step', (e) => {
      const step = JSON.parse((e as MessageEvent<string>).data) as RunStepEvent;
      setSteps((current) => (current.some((s) => s.stepIndex === step.stepIndex) ? current : [...current, step]));
      setStreaming((current) => withStepWritten(current, step));
    });
    source.addEventListener('delta', (e) => {
      const delta = JSON.parse((e as MessageEvent<string>).data) as RunDeltaEvent;
      setStreaming((current) => withDelta(current, delta));
    });
    source.addEventListener('status', (e) => setStatus(JSON.parse((e as MessageEvent<string>).data) as RunStatusEvent));
    source.addEventListener('end', () => source.close());
    source.addEventListener('error', (e) => {
      if ((e as MessageEvent<string>).data) setStreamError('The run could not be followed. Reload to try again.');
    });
    return () => source.close();
  }, [state.runId, workspaceId]);

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <section aria-label="Conversation" className="space-y-4">
        <form ref={formRef} action={start} className="space-y-3">
          <input type="hidden" name="workspaceId" value={workspaceId} />
          <input type="hidden" name="agentId" value={agentId} />
          <input type="hidden" name="threadId" value={threadId ?? ''} />
          <label htmlFor="playground-end-user" className="block text-sm font-medium text-slate-700">
            End user <span className="font-normal text-slate-500">(optional: your app&apos;s id for the person; keeps a thread and memory)</span>
          </label>
          <input
            id="playground-end-user"
            name="endUser"
            maxLength={200}
            defaultValue={state.endUser}
            disabled={!canRun}
            onChange={() => setThreadId(null)}
            className={inputClass}
            placeholder="customer-42"
          />
          {threadId && (
            <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600" data-testid="playground-thread">
              Continuing thread <span className="font-mono text-xs">{threadId.slice(0, 8)}</span>
              <Button type="button" variant="secondary" onClick={() => setThreadId(null)} disabled={pending}>
                New thread
              </Button>
            </p>
          )}
          <label htmlFor="playground-input" className="block text-sm font-medium text-slate-700">
            Message
          </label>
          <textarea
            id="playground-input"
            name="input"
            rows={4}
            required
            defaultValue={state.input}
            disabled={!canRun}
            className={inputClass}
            placeholder="Ask the agent something, or name a tool: use run_javascript with code 1+2"
          />
          <FormErrorSummary message={state.error ?? undefined} summaryRef={summaryRef} />
          <Button type="submit" pending={pending} pendingLabel="Starting…" disabled={!canRun}>
            Run
          </Button>
        </form>
        {status && (
          <div className="space-y-2" data-testid="run-answer">
            <p className="text-sm text-slate-600">
              Status: <span className="font-medium text-slate-900" data-testid="run-status">{STATUS_LABEL[status.status]}</span>
              {' · '}
              <span className="font-mono text-xs">
                {status.totals.inputTokens + status.totals.outputTokens} tokens · ${status.totals.costUsd.toFixed(6)}
              </span>
            </p>
            <div role="log" aria-live="polite" aria-label="Answer">
              {status.output ? (
                <p className="rounded-md bg-slate-50 p-3 text-sm whitespace-pre-wrap text-slate-800" data-testid="run-output">{status.output}</p>
              ) : (
                streaming && (
                  <p className="rounded-md bg-slate-50 p-3 text-sm whitespace-pre-wrap text-slate-600" data-testid="run-streaming">
                    {streaming.text}
                  </p>
                )
              )}
            </div>
            {status.status === 'awaiting_approval' && (
              <div data-testid="run-awaiting-approval">
              <Alert tone="info">
                A step of this run needs an approval under the workspace&apos;s policy. It continues here once an owner or admin approves it in{' '}
                <Link href={`/w/${workspaceSlug}/approvals`} className="font-medium underline">
                  Approvals
                </Link>
                , and fails if it is rejected or expires.
              </Alert>
              </div>
            )}
            {status.error && <Alert tone="warning">{status.error}</Alert>}
            <RunCitations steps={steps} />
          </div>
        )}
        {state.runId && !status && <p className="text-sm text-slate-500">Waiting for the run…</p>}
        {streamError && <Alert>{streamError}</Alert>}
      </section>
      <section aria-label="Trace" className="space-y-3">
        <h2 className="text-base font-semibold text-slate-900">Trace</h2>
        {state.runId ? (
          <RunTracePanel workspaceId={workspaceId} runId={state.runId} refreshKey={`${steps.length}:${status?.status ?? ''}`} />
        ) : (
          <p className="text-sm text-slate-500">Start a run to see its trace here: the run, its model calls and its tool calls on a timeline.</p>
        )}
        <h2 className="text-base font-semibold text-slate-900">Steps</h2>
        {state.runId ? <RunSteps steps={steps} /> : <p className="text-sm text-slate-500">Start a run to see its model and tool calls here.</p>}
      </section>
    </div>
  );
}
