-- The response cache: a final answer an agent version gave, served again without a
-- model call to the same question (exact) or a close one (semantic), within a TTL.
--
-- agent_versions columns   cache on/off, TTL in seconds and the semantic
--                          similarity threshold (NULL: exact matches only). Versions
--                          stay immutable: a new version brings its own settings and,
--                          since the version is part of every key, its own entries.
-- response_cache_entries   tenant table keyed by construction on workspace, agent
--                          version, model, the retrieved-context fingerprint and the
--                          end user (memory-enabled versions only, NULL otherwise);
--                          prompt_hash (rendered system prompt, tools, temperature)
--                          and question_hash (the normalised user message) complete
--                          the exact key; embedding holds the question's vector for
--                          the semantic match. knowledge_base_ids lists the bases the
--                          version reads, so a change to one of them deletes them.
-- usage_events.cached      a call answered from the cache: metered at zero cost.
--                          record_usage_event() takes it as a last, defaulted parameter.
-- knowledge_chunks trigger any chunk inserted or deleted (a document added, deleted
--                          or re-embedded; a base deleted) deletes the cache entries
--                          of versions reading that base, in the same transaction.

ALTER TABLE agent_versions
  ADD COLUMN cache_enabled boolean NOT NULL DEFAULT false,
  ADD COLUMN cache_ttl_seconds integer NOT NULL DEFAULT 3600,
  ADD COLUMN cache_similarity_threshold double precision,
  ADD CONSTRAINT agent_versions_cache_ttl_range CHECK (cache_ttl_seconds BETWEEN 10 AND 2592000),
  ADD CONSTRAINT agent_versions_cache_similarity_range
    CHECK (cache_similarity_threshold IS NULL OR (cache_similarity_threshold >= 0 AND cache_similarity_threshold <= 1));

CREATE TABLE response_cache_entries (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id         uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  agent_id             uuid NOT NULL,
  agent_version        integer NOT NULL,
  model                text NOT NULL,
  context_fingerprint  text NOT NULL,
  -- The end user of a memory-enabled version (end users arrive with memory; no FK yet).
  end_user_id          text,
  prompt_hash          text NOT NULL,
  question_hash        text NOT NULL,
  knowledge_base_ids   uuid[] NOT NULL DEFAULT '{}',
  embedding_model      text,
  embedding            vector,
  answer               text NOT NULL,
  provider             text NOT NULL,
  response_model       text NOT NULL,
  source_run_id        uuid NOT NULL,
  hit_count            integer NOT NULL DEFAULT 0,
  created_at           timestamptz(6) NOT NULL DEFAULT now(),
  expires_at           timestamptz(6) NOT NULL,
  last_hit_at          timestamptz(6),
  CONSTRAINT response_cache_entries_version_fkey FOREIGN KEY (workspace_id, agent_id, agent_version)
    REFERENCES agent_versions (workspace_id, agent_id, version) ON DELETE CASCADE,
  CONSTRAINT response_cache_entries_run_fkey FOREIGN KEY (workspace_id, source_run_id)
    REFERENCES runs (workspace_id, id) ON DELETE CASCADE,
  CONSTRAINT response_cache_entries_embedding_pair CHECK ((embedding IS NULL) = (embedding_model IS NULL)),
  CONSTRAINT response_cache_entries_hits CHECK (hit_count >= 0)
);
-- The lookup: every key column, then the question (exact) or the candidates to compare (semantic).
CREATE INDEX response_cache_entries_lookup_idx ON response_cache_entries
  (workspace_id, agent_id, agent_version, model, context_fingerprint, end_user_id, prompt_hash, question_hash);
CREATE INDEX response_cache_entries_workspace_id_end_user_id_idx ON response_cache_entries (workspace_id, end_user_id);
CREATE INDEX response_cache_entries_workspace_id_expires_at_idx ON response_cache_entries (workspace_id, expires_at);
CREATE INDEX response_cache_entries_workspace_id_source_run_id_idx ON response_cache_entries (workspace_id, source_run_id);

GRANT SELECT, INSERT, DELETE ON response_cache_entries TO enclave_app;
GRANT UPDATE (hit_count, last_hit_at) ON response_cache_entries TO enclave_app;
ALTER TABLE response_cache_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE response_cache_entries FORCE ROW LEVEL SECURITY;
CREATE POLICY response_cache_entries_tenant ON response_cache_entries
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));

-- Knowledge changes invalidate: runs as the statement's user, under its RLS.
CREATE FUNCTION forget_cache_of_changed_chunks() RETURNS trigger
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
BEGIN
  DELETE FROM public.response_cache_entries e
  USING (SELECT DISTINCT workspace_id, knowledge_base_id FROM changed_chunks) c
  WHERE e.workspace_id = c.workspace_id AND e.knowledge_base_ids @> ARRAY[c.knowledge_base_id];
  RETURN NULL;
END
$$;
CREATE TRIGGER knowledge_chunks_inserted_forget_cache AFTER INSERT ON knowledge_chunks
  REFERENCING NEW TABLE AS changed_chunks FOR EACH STATEMENT EXECUTE FUNCTION forget_cache_of_changed_chunks();
CREATE TRIGGER knowledge_chunks_deleted_forget_cache AFTER DELETE ON knowledge_chunks
  REFERENCING OLD TABLE AS changed_chunks FOR EACH STATEMENT EXECUTE FUNCTION forget_cache_of_changed_chunks();

ALTER TABLE usage_events ADD COLUMN cached boolean NOT NULL DEFAULT false;

-- Metering (0015) with the cached flag; callers that omit it meter a model call.
DROP FUNCTION record_usage_event(uuid, uuid, integer, integer, uuid, uuid, text, text, text, integer, integer, numeric, boolean, integer, text, text);
CREATE FUNCTION record_usage_event(
  p_workspace_id uuid, p_run_id uuid, p_step_index integer, p_attempt integer, p_agent_id uuid,
  p_provider_id uuid, p_provider text, p_model text, p_task_type text,
  p_input_tokens integer, p_output_tokens integer, p_cost_usd numeric, p_price_known boolean,
  p_latency_ms integer, p_status text, p_error_kind text, p_cached boolean DEFAULT false)
  RETURNS uuid
  LANGUAGE plpgsql SECURITY INVOKER
AS $$
DECLARE
  recorded uuid;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true), set_config('role', 'enclave_app', true),
          set_config('app.workspace_id', p_workspace_id::text, true);
  INSERT INTO public.usage_events (workspace_id, run_id, step_index, attempt, agent_id, provider_id, provider, model, task_type,
                                   input_tokens, output_tokens, cost_usd, price_known, latency_ms, status, error_kind, cached)
  VALUES (p_workspace_id, p_run_id, p_step_index, p_attempt, p_agent_id, p_provider_id, p_provider, p_model, p_task_type,
          p_input_tokens, p_output_tokens, p_cost_usd, p_price_known, p_latency_ms, p_status, p_error_kind, p_cached)
  ON CONFLICT (workspace_id, run_id, step_index, attempt) DO NOTHING
  RETURNING id INTO recorded;
  RETURN recorded;
END
$$;
REVOKE ALL ON FUNCTION record_usage_event(uuid, uuid, integer, integer, uuid, uuid, text, text, text, integer, integer, numeric, boolean, integer, text, text, boolean) FROM PUBLIC;
