-- The text a model step streams while it is still running, so the run's event
-- stream can show the answer growing from whichever process executes the run.
--
-- run_stream_chunks  one row per small batch of streamed text: the run, the claim
--                    attempt that streamed it (runs.attempt_count when the worker
--                    claimed the run: a step redone after a worker died streams
--                    under a new attempt and never mixes with the old text), the
--                    step index, and seq, its order within that step's stream.
--                    Written by the worker holding the run's lease, one statement
--                    per batch (append_run_stream_chunk() below, called from
--                    server/db/stream-chunk-writer.ts); read by the SSE route
--                    through runs.streamed.
--
-- Chunks are a preview, never the record: the step row is. They are deleted by
-- triggers, in the transaction that makes them irrelevant — a step's (and any
-- earlier step's) chunks when the step row is written, all of a run's chunks when
-- the run reaches a final state — so the table holds only runs in progress.

CREATE TABLE run_stream_chunks (
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  run_id        uuid NOT NULL,
  attempt       integer NOT NULL,
  step_index    integer NOT NULL,
  seq           integer NOT NULL,
  text          text NOT NULL,
  created_at    timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT run_stream_chunks_pkey PRIMARY KEY (workspace_id, run_id, attempt, step_index, seq),
  CONSTRAINT run_stream_chunks_run_fkey FOREIGN KEY (workspace_id, run_id)
    REFERENCES runs (workspace_id, id) ON DELETE CASCADE,
  CONSTRAINT run_stream_chunks_position CHECK (attempt >= 1 AND step_index >= 0 AND seq >= 0),
  CONSTRAINT run_stream_chunks_text_length CHECK (char_length(text) BETWEEN 1 AND 65536)
);

-- The worker appends, the SSE route reads, the triggers below delete; nothing updates.
GRANT SELECT, INSERT, DELETE ON run_stream_chunks TO enclave_app;

ALTER TABLE run_stream_chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE run_stream_chunks FORCE ROW LEVEL SECURITY;

CREATE POLICY run_stream_chunks_tenant ON run_stream_chunks
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));

-- Appending in one statement (called every ~100 ms per streaming step): like
-- record_usage_event() (0008), called by the connecting user outside any
-- transaction block, it takes the app role and the workspace transaction-locally
-- for its own implicit transaction, then inserts under the tenant policy — and
-- only while p_worker holds the run's lease in claim attempt p_attempt, so a
-- worker that lost the run can never add to the new owner's stream. True when the
-- chunk was added. The app role itself may not call it.
CREATE FUNCTION append_run_stream_chunk(
  p_workspace_id uuid, p_run_id uuid, p_worker text, p_attempt integer, p_step_index integer, p_seq integer, p_text text)
  RETURNS boolean
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
DECLARE
  appended integer;
BEGIN
  PERFORM set_config('role', 'enclave_app', true), set_config('app.workspace_id', p_workspace_id::text, true);
  INSERT INTO public.run_stream_chunks (workspace_id, run_id, attempt, step_index, seq, text)
  SELECT p_workspace_id, p_run_id, p_attempt, p_step_index, p_seq, p_text
  WHERE EXISTS (
    SELECT 1 FROM public.runs
    WHERE workspace_id = p_workspace_id AND id = p_run_id
      AND lease_owner = p_worker AND status = 'running' AND attempt_count = p_attempt)
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS appended = ROW_COUNT;
  RETURN appended = 1;
END
$$;
REVOKE ALL ON FUNCTION append_run_stream_chunk(uuid, uuid, text, integer, integer, integer, text) FROM PUBLIC;

-- Both functions run as the caller (the app role inside withWorkspace()), so RLS
-- limits them to the workspace of the row that fired them.
CREATE FUNCTION drop_chunks_of_written_step() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM run_stream_chunks
  WHERE workspace_id = NEW.workspace_id AND run_id = NEW.run_id AND step_index <= NEW.step_index;
  RETURN NULL;
END;
$$;

CREATE TRIGGER run_steps_drop_stream_chunks
  AFTER INSERT ON run_steps
  FOR EACH ROW EXECUTE FUNCTION drop_chunks_of_written_step();

CREATE FUNCTION drop_chunks_of_finished_run() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM run_stream_chunks WHERE workspace_id = NEW.workspace_id AND run_id = NEW.id;
  RETURN NULL;
END;
$$;

CREATE TRIGGER runs_drop_stream_chunks
  AFTER UPDATE OF status ON runs
  FOR EACH ROW
  WHEN (NEW.status IN ('succeeded', 'failed', 'cancelled', 'timed_out') AND OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION drop_chunks_of_finished_run();
