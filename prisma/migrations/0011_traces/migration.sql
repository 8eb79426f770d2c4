-- The trace of each run, stored for the console and exported over OTLP.
--
-- trace_spans  one row per span: the run's root span ("invoke_agent", kind 'run')
--              and one child per model call or tool call (kind 'model' / 'tool').
--              trace_id is derived from the run id and span_id from the run id and
--              step index (server/observability/trace-ids.ts), so every process
--              agrees on them; (workspace_id, run_id, span_id) is unique and spans
--              are inserted if absent, so a step redone after a worker died, or a
--              run finished twice by a stale worker, never writes a second span.
--              attributes follow the OpenTelemetry GenAI conventions and never hold
--              prompt or answer text or a secret (the content stays in run_steps).
--              Written in the same transaction as the step or the run's final state.

CREATE TABLE trace_spans (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id    uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  run_id          uuid NOT NULL,
  trace_id        text NOT NULL,
  span_id         text NOT NULL,
  parent_span_id  text,
  step_index      integer,
  kind            text NOT NULL,
  name            text NOT NULL,
  started_at      timestamptz(6) NOT NULL,
  ended_at        timestamptz(6) NOT NULL,
  status          text NOT NULL,
  status_message  text,
  attributes      jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT trace_spans_run_fkey FOREIGN KEY (workspace_id, run_id)
    REFERENCES runs (workspace_id, id) ON DELETE CASCADE,
  CONSTRAINT trace_spans_kind CHECK (kind IN ('run', 'model', 'tool')),
  CONSTRAINT trace_spans_status CHECK (status IN ('ok', 'error')),
  CONSTRAINT trace_spans_trace_id CHECK (trace_id ~ '^[0-9a-f]{32}$'),
  CONSTRAINT trace_spans_span_id CHECK (span_id ~ '^[0-9a-f]{16}$'),
  CONSTRAINT trace_spans_parent_span_id CHECK (parent_span_id IS NULL OR parent_span_id ~ '^[0-9a-f]{16}$'),
  -- The run span is the root; every step span hangs under it.
  CONSTRAINT trace_spans_shape CHECK (
    (kind = 'run' AND step_index IS NULL AND parent_span_id IS NULL)
    OR (kind <> 'run' AND step_index >= 0 AND parent_span_id IS NOT NULL)),
  CONSTRAINT trace_spans_times CHECK (ended_at >= started_at),
  CONSTRAINT trace_spans_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
  CONSTRAINT trace_spans_attributes_object CHECK (jsonb_typeof(attributes) = 'object')
);
CREATE UNIQUE INDEX trace_spans_workspace_id_run_id_span_id_key ON trace_spans (workspace_id, run_id, span_id);
CREATE INDEX trace_spans_workspace_id_trace_id_idx ON trace_spans (workspace_id, trace_id);

-- Spans are a record: written once, never changed by the app.
GRANT SELECT, INSERT ON trace_spans TO enclave_app;

ALTER TABLE trace_spans ENABLE ROW LEVEL SECURITY;
ALTER TABLE trace_spans FORCE ROW LEVEL SECURITY;

CREATE POLICY trace_spans_tenant ON trace_spans
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
