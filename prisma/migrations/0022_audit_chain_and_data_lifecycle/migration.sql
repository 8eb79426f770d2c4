-- A tamper-evident audit log and the data lifecycle of a workspace.
--
-- audit hash chain     every audit_events row carries its position in its
--                      workspace's chain (seq), the previous row's hash and its
--                      own: sha256 over a canonical encoding of its fields and
--                      the previous hash. A BEFORE INSERT trigger computes them
--                      in the database, serialised per workspace by locking the
--                      workspace's row in audit_chain_heads, so no writer can
--                      skip or forge them. The head row also remembers the last
--                      position, so deleting the newest rows is detected too.
--                      Existing rows are chained here in (created_at, id) order.
-- workspace_retention  per workspace, how many days runs, traces, thread
--                      messages and memory items are kept (NULL = forever). A
--                      worker claims a due workspace with claim_retention_sweep()
--                      and deletes in small batches with apply_retention().
-- workspace_exports    a requested export of everything the workspace owns,
--                      built by a worker (claim_next_export()) with progress,
--                      the finished .tar.gz kept in the row for its owners.
-- deletion receipts    delete_workspace() removes every row of a workspace,
--                      its data key first, and leaves a receipt (counts per
--                      table, never content) in workspace_deletion_receipts,
--                      the operator's trail.
--
-- Why SECURITY DEFINER functions: the app role deliberately holds no DELETE on
-- audit_events, usage_events, runs or trace_spans (append-only history), and
-- cannot read other workspaces' queue rows. Rather than widen those grants for
-- every request, each job has one narrow function that runs as the owner and
-- acts only on the workspace set for the transaction (or returns ids only).

-- Audit chain -----------------------------------------------------------------

ALTER TABLE audit_events
  ADD COLUMN seq bigint,
  ADD COLUMN prev_hash text,
  ADD COLUMN hash text;
-- Placeholders for writers that name no value; the trigger always overwrites them.

CREATE TABLE audit_chain_heads (
  workspace_id uuid PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  last_seq     bigint NOT NULL,
  last_hash    text NOT NULL,
  updated_at   timestamptz(6) NOT NULL DEFAULT now()
);
-- Read by verification; written only by the trigger (as the owner).
GRANT SELECT ON audit_chain_heads TO enclave_app;
ALTER TABLE audit_chain_heads ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_chain_heads FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_chain_heads_tenant ON audit_chain_heads
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));

-- The canonical encoding: a JSON array of the fields in a fixed order (jsonb's
-- text form is deterministic), the time as integer microseconds since the epoch
-- so no DateStyle or TimeZone setting changes it.
CREATE FUNCTION audit_event_hash(
  p_prev_hash text, p_workspace_id uuid, p_seq bigint, p_id uuid, p_actor_user_id uuid,
  p_action text, p_target text, p_metadata jsonb, p_created_at timestamptz)
  RETURNS text
  LANGUAGE sql STABLE
  SET search_path = public, pg_temp
AS $$
  SELECT encode(sha256(convert_to(jsonb_build_array(
    p_prev_hash, p_workspace_id, p_seq, p_id, p_actor_user_id, p_action, p_target, p_metadata,
    (extract(epoch FROM p_created_at) * 1000000)::bigint)::text, 'UTF8')), 'hex')
$$;
REVOKE ALL ON FUNCTION audit_event_hash(text, uuid, bigint, uuid, uuid, text, text, jsonb, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_event_hash(text, uuid, bigint, uuid, uuid, text, text, jsonb, timestamptz) TO enclave_app;

CREATE FUNCTION audit_events_chain() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = public, pg_temp
AS $$
DECLARE
  head audit_chain_heads%ROWTYPE;
BEGIN
  INSERT INTO audit_chain_heads (workspace_id, last_seq, last_hash)
  VALUES (NEW.workspace_id, 0, repeat('0', 64))
  ON CONFLICT (workspace_id) DO NOTHING;
  -- The lock serialises writers of one workspace until they commit.
  SELECT * INTO head FROM audit_chain_heads WHERE workspace_id = NEW.workspace_id FOR UPDATE;
  NEW.created_at := clock_timestamp();
  NEW.seq := head.last_seq + 1;
  NEW.prev_hash := head.last_hash;
  NEW.hash := audit_event_hash(NEW.prev_hash, NEW.workspace_id, NEW.seq, NEW.id, NEW.actor_user_id,
                               NEW.action, NEW.target, NEW.metadata, NEW.created_at);
  UPDATE audit_chain_heads SET last_seq = NEW.seq, last_hash = NEW.hash, updated_at = now()
  WHERE workspace_id = NEW.workspace_id;
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION audit_events_chain() FROM PUBLIC;

-- Chain the rows written before this migration, oldest first, per workspace.
DO $$
DECLARE
  r record;
  current_ws uuid;
  prev text;
  n bigint;
BEGIN
  FOR r IN SELECT * FROM audit_events ORDER BY workspace_id, created_at, id LOOP
    IF current_ws IS DISTINCT FROM r.workspace_id THEN
      current_ws := r.workspace_id;
      prev := repeat('0', 64);
      n := 0;
    END IF;
    n := n + 1;
    UPDATE audit_events
    SET seq = n, prev_hash = prev,
        hash = audit_event_hash(prev, r.workspace_id, n, r.id, r.actor_user_id, r.action, r.target, r.metadata, r.created_at)
    WHERE id = r.id
    RETURNING hash INTO prev;
    INSERT INTO audit_chain_heads (workspace_id, last_seq, last_hash) VALUES (r.workspace_id, n, prev)
    ON CONFLICT (workspace_id) DO UPDATE SET last_seq = EXCLUDED.last_seq, last_hash = EXCLUDED.last_hash;
  END LOOP;
END
$$;

ALTER TABLE audit_events
  ALTER COLUMN seq SET NOT NULL,
  ALTER COLUMN seq SET DEFAULT 0,
  ALTER COLUMN prev_hash SET NOT NULL,
  ALTER COLUMN prev_hash SET DEFAULT '',
  ALTER COLUMN hash SET NOT NULL,
  ALTER COLUMN hash SET DEFAULT '';
CREATE UNIQUE INDEX audit_events_workspace_id_seq_key ON audit_events (workspace_id, seq);
CREATE INDEX audit_events_workspace_id_action_idx ON audit_events (workspace_id, action, created_at);

CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_chain();

-- Retention -------------------------------------------------------------------

CREATE TABLE workspace_retention (
  workspace_id       uuid PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  runs_days          integer,
  traces_days        integer,
  messages_days      integer,
  memory_days        integer,
  next_sweep_at      timestamptz(6) NOT NULL DEFAULT now(),
  last_sweep_at      timestamptz(6),
  last_sweep_deleted jsonb,
  updated_by         uuid,
  updated_at         timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT workspace_retention_days CHECK (
    coalesce(runs_days, 1) BETWEEN 1 AND 3650 AND coalesce(traces_days, 1) BETWEEN 1 AND 3650
    AND coalesce(messages_days, 1) BETWEEN 1 AND 3650 AND coalesce(memory_days, 1) BETWEEN 1 AND 3650)
);
GRANT SELECT, INSERT ON workspace_retention TO enclave_app;
GRANT UPDATE (runs_days, traces_days, messages_days, memory_days, next_sweep_at, last_sweep_deleted, updated_by, updated_at) ON workspace_retention TO enclave_app;
ALTER TABLE workspace_retention ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspace_retention FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_retention_tenant ON workspace_retention
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));

-- The next workspace whose retention sweep is due, taken for p_interval_seconds
-- (so two workers never sweep one workspace at once). Returns its id only.
CREATE FUNCTION claim_retention_sweep(p_interval_seconds integer)
  RETURNS uuid
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $$
  UPDATE workspace_retention r
  SET next_sweep_at = now() + make_interval(secs => p_interval_seconds), last_sweep_at = now()
  WHERE r.workspace_id = (
    SELECT d.workspace_id FROM workspace_retention d
    WHERE d.next_sweep_at <= now()
      AND num_nonnulls(d.runs_days, d.traces_days, d.messages_days, d.memory_days) > 0
    ORDER BY d.next_sweep_at
    LIMIT 1
    FOR UPDATE SKIP LOCKED)
  RETURNING r.workspace_id
$$;
REVOKE ALL ON FUNCTION claim_retention_sweep(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION claim_retention_sweep(integer) TO enclave_app;

-- One batch of the transaction's workspace's retention: at most p_batch rows of
-- each kind past its age. Finished runs only (their steps, spans and stream
-- chunks go with them); ledger rows of a deleted run keep their cost and lose
-- only the link. Call again until every count is below p_batch.
CREATE FUNCTION apply_retention(p_batch integer)
  RETURNS TABLE (kind text, deleted bigint)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $$
DECLARE
  ws uuid := nullif(current_setting('app.workspace_id', true), '')::uuid;
  cfg workspace_retention%ROWTYPE;
  n bigint;
BEGIN
  IF ws IS NULL THEN RAISE EXCEPTION 'apply_retention needs a workspace'; END IF;
  SELECT * INTO cfg FROM workspace_retention WHERE workspace_id = ws;
  IF NOT FOUND THEN RETURN; END IF;

  IF cfg.runs_days IS NOT NULL THEN
    -- One statement: the ledger rows are unlinked before the foreign key is checked at its end.
    WITH batch AS (
      SELECT id FROM runs
      WHERE workspace_id = ws AND created_at < now() - make_interval(days => cfg.runs_days)
        AND status NOT IN ('queued', 'running', 'awaiting_approval')
      ORDER BY created_at LIMIT p_batch
    ), unlinked AS (
      UPDATE usage_events SET run_id = NULL
      WHERE workspace_id = ws AND run_id IN (SELECT id FROM batch)
    )
    DELETE FROM runs WHERE workspace_id = ws AND id IN (SELECT id FROM batch);
    GET DIAGNOSTICS n = ROW_COUNT;
    kind := 'runs'; deleted := n; RETURN NEXT;
  END IF;

  IF cfg.traces_days IS NOT NULL THEN
    DELETE FROM trace_spans WHERE workspace_id = ws AND id IN (
      SELECT id FROM trace_spans
      WHERE workspace_id = ws AND created_at < now() - make_interval(days => cfg.traces_days)
      ORDER BY created_at LIMIT p_batch);
    GET DIAGNOSTICS n = ROW_COUNT;
    kind := 'traces'; deleted := n; RETURN NEXT;
  END IF;

  IF cfg.messages_days IS NOT NULL THEN
    DELETE FROM thread_messages WHERE workspace_id = ws AND id IN (
      SELECT id FROM thread_messages
      WHERE workspace_id = ws AND created_at < now() - make_interval(days => cfg.messages_days)
      ORDER BY created_at LIMIT p_batch);
    GET DIAGNOSTICS n = ROW_COUNT;
    kind := 'messages'; deleted := n; RETURN NEXT;
  END IF;

  IF cfg.memory_days IS NOT NULL THEN
    DELETE FROM memory_items WHERE workspace_id = ws AND id IN (
      SELECT id FROM memory_items
      WHERE workspace_id = ws AND created_at < now() - make_interval(days => cfg.memory_days)
      ORDER BY created_at LIMIT p_batch);
    GET DIAGNOSTICS n = ROW_COUNT;
    kind := 'memory'; deleted := n; RETURN NEXT;
  END IF;
END
$$;
REVOKE ALL ON FUNCTION apply_retention(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION apply_retention(integer) TO enclave_app;

-- Exports ---------------------------------------------------------------------

CREATE TABLE workspace_exports (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  requested_by     uuid,
  status           text NOT NULL DEFAULT 'queued',
  tables_total     integer,
  tables_done      integer NOT NULL DEFAULT 0,
  rows_written     bigint NOT NULL DEFAULT 0,
  archive          bytea,
  archive_bytes    integer,
  error            text,
  lease_owner      text,
  lease_expires_at timestamptz(6),
  attempt_count    integer NOT NULL DEFAULT 0,
  created_at       timestamptz(6) NOT NULL DEFAULT now(),
  started_at       timestamptz(6),
  finished_at      timestamptz(6),
  CONSTRAINT workspace_exports_status CHECK (status IN ('queued', 'running', 'done', 'failed'))
);
CREATE UNIQUE INDEX workspace_exports_workspace_id_id_key ON workspace_exports (workspace_id, id);
CREATE INDEX workspace_exports_claimable_idx ON workspace_exports (created_at) WHERE status IN ('queued', 'running');
GRANT SELECT, INSERT ON workspace_exports TO enclave_app;
GRANT UPDATE (status, tables_total, tables_done, rows_written, archive, archive_bytes, error, lease_owner, lease_expires_at, started_at, finished_at)
  ON workspace_exports TO enclave_app;
ALTER TABLE workspace_exports ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspace_exports FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_exports_tenant ON workspace_exports
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));

-- The oldest queued export (or one whose worker's lease ran out, up to three
-- attempts), leased to p_worker. Returns ids only; the export is then built
-- through withWorkspace().
CREATE FUNCTION claim_next_export(p_worker text, p_lease_seconds integer)
  RETURNS TABLE (id uuid, workspace_id uuid)
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $$
  UPDATE workspace_exports e
  SET status = 'running', lease_owner = p_worker, lease_expires_at = now() + make_interval(secs => p_lease_seconds),
      attempt_count = e.attempt_count + 1, started_at = coalesce(e.started_at, now()), tables_done = 0, rows_written = 0
  WHERE e.id = (
    SELECT c.id FROM workspace_exports c
    WHERE (c.status = 'queued' OR (c.status = 'running' AND c.lease_expires_at < now())) AND c.attempt_count < 3
    ORDER BY c.created_at
    LIMIT 1
    FOR UPDATE SKIP LOCKED)
  RETURNING e.id, e.workspace_id
$$;
REVOKE ALL ON FUNCTION claim_next_export(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION claim_next_export(text, integer) TO enclave_app;

-- Deletion --------------------------------------------------------------------

-- The operator's trail of deleted workspaces. Deliberately no workspace_id
-- column: the receipt outlives the workspace and is not its data.
CREATE TABLE workspace_deletion_receipts (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  deleted_workspace_id uuid NOT NULL,
  slug                 text NOT NULL,
  deleted_by           uuid,
  row_counts           jsonb NOT NULL,
  total_rows           bigint NOT NULL,
  data_key_destroyed   boolean NOT NULL,
  created_at           timestamptz(6) NOT NULL DEFAULT now()
);
CREATE INDEX workspace_deletion_receipts_created_at_idx ON workspace_deletion_receipts (created_at);
GRANT SELECT ON workspace_deletion_receipts TO enclave_app;
ALTER TABLE workspace_deletion_receipts ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspace_deletion_receipts FORCE ROW LEVEL SECURITY;
CREATE POLICY workspace_deletion_receipts_operator_read ON workspace_deletion_receipts FOR SELECT
  USING ((SELECT current_setting('app.operator', true)) = 'on');

-- Deletes the transaction's workspace: only for one of its owners who typed its
-- slug. Counts every table that holds workspace rows (found in the catalog),
-- destroys the data key first, deletes the workspace (its rows cascade), then
-- removes whatever a table without that cascade still holds, and writes the
-- receipt. Returns the receipt's id.
CREATE FUNCTION delete_workspace(p_workspace_id uuid, p_confirm_slug text, p_actor_user_id uuid)
  RETURNS uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
AS $$
DECLARE
  ws_slug text;
  t record;
  n bigint;
  counts jsonb := '{}';
  total bigint := 0;
  keys_destroyed bigint;
  receipt uuid;
BEGIN
  IF p_workspace_id IS DISTINCT FROM nullif(current_setting('app.workspace_id', true), '')::uuid THEN
    RAISE EXCEPTION 'delete_workspace acts only on the transaction''s workspace';
  END IF;
  SELECT slug INTO ws_slug FROM workspaces WHERE id = p_workspace_id FOR UPDATE;
  IF ws_slug IS NULL THEN RAISE EXCEPTION 'workspace not found' USING ERRCODE = 'P0002'; END IF;
  IF ws_slug IS DISTINCT FROM p_confirm_slug THEN
    RAISE EXCEPTION 'the confirmation does not match the workspace URL' USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM memberships WHERE workspace_id = p_workspace_id AND user_id = p_actor_user_id AND role = 'owner') THEN
    RAISE EXCEPTION 'only an owner may delete the workspace' USING ERRCODE = '42501';
  END IF;

  FOR t IN
    SELECT c.relname::text AS name FROM pg_class c
    JOIN pg_namespace s ON s.oid = c.relnamespace
    WHERE s.nspname = 'public' AND c.relkind IN ('r', 'p')
      AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'workspace_id' AND NOT a.attisdropped)
    ORDER BY c.relname
  LOOP
    EXECUTE format('SELECT count(*) FROM public.%I WHERE workspace_id = $1', t.name) INTO n USING p_workspace_id;
    IF n > 0 THEN
      counts := counts || jsonb_build_object(t.name, n);
      total := total + n;
    END IF;
  END LOOP;
  counts := counts || jsonb_build_object('workspaces', 1);
  total := total + 1;

  -- Crypto-shredding first: without the data key no copy of a ciphertext opens.
  DELETE FROM workspace_keys WHERE workspace_id = p_workspace_id;
  GET DIAGNOSTICS keys_destroyed = ROW_COUNT;
  DELETE FROM workspaces WHERE id = p_workspace_id;
  FOR t IN
    SELECT c.relname::text AS name FROM pg_class c
    JOIN pg_namespace s ON s.oid = c.relnamespace
    WHERE s.nspname = 'public' AND c.relkind IN ('r', 'p')
      AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'workspace_id' AND NOT a.attisdropped)
  LOOP
    EXECUTE format('DELETE FROM public.%I WHERE workspace_id = $1', t.name) USING p_workspace_id;
  END LOOP;

  INSERT INTO workspace_deletion_receipts (deleted_workspace_id, slug, deleted_by, row_counts, total_rows, data_key_destroyed)
  VALUES (p_workspace_id, ws_slug, p_actor_user_id, counts, total, keys_destroyed > 0)
  RETURNING id INTO receipt;
  RETURN receipt;
END
$$;
REVOKE ALL ON FUNCTION delete_workspace(uuid, text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION delete_workspace(uuid, text, uuid) TO enclave_app;
