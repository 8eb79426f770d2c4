-- Per-workspace HNSW indexes: full recall for large tenants at index speed.
--
-- One HNSW graph over every tenant's chunks loses a tenant's neighbours: the index
-- returns the nearest rows of the whole table and RLS filters them afterwards (a
-- 1% tenant got 1.3 of its true 10 back). A partial index per large workspace,
-- `WHERE workspace_id = '<ws>' AND dimension = N`, holds only that tenant's rows,
-- so its nearest rows are the tenant's nearest rows. Small workspaces keep the
-- exact scan through the (workspace_id, knowledge_base_id) btree, which is the
-- true top k and fast while the tenant is small. The threshold between them,
-- KNOWLEDGE_EXACT_SCAN_MAX_CHUNKS, and the measurements behind it are in
-- server/knowledge/hybrid-search.ts and the README (Knowledge bases).
--
-- The per-dimension HNSW indexes of 0014 (every tenant in one graph) are dropped:
-- with a tenant's own index above the threshold and an exact scan below it no
-- query uses them (and iterative scans over them returned 0.89 of a 1% tenant's
-- true neighbours), while every chunk written paid for a second graph insert.
--
-- workspace_vector_index_name  the index name of a (workspace, dimension).
-- ensure_workspace_vector_index  called by the ingestion worker after a document
--   is ready (server/knowledge/workspace-vector-index.ts), as the connecting
--   (owner) user on the statement pool, one statement outside any transaction
--   block: counts the workspace's chunks of that dimension under its tenant
--   context and, above the threshold, builds the workspace's index. The app role
--   may not call it (it creates an index, which only the table owner may do).

DROP INDEX knowledge_chunks_embedding_512_idx;
DROP INDEX knowledge_chunks_embedding_384_idx;

-- A chunk row (a 384-d vector is 1.5 kB, a 512-d one 2 kB, plus the text and its
-- tsvector) passes the default 2 kB TOAST threshold, and the vector was moved out
-- of line first: every distance then read it back through the TOAST index (6
-- buffer reads a row, 18,334 for an exact scan of 3,000 chunks; 750 with it
-- inline). The tsvector was next. Rows stay whole up to a page (8160 bytes), and
-- a larger row (a provider's 1,536-d vector and a long chunk) moves the text and
-- the tsvector out before the vector (STORAGE MAIN). New rows only: chunks written
-- before this keep their TOASTed vectors until they are re-embedded.
ALTER TABLE knowledge_chunks SET (toast_tuple_target = 8160);
ALTER TABLE knowledge_chunks ALTER COLUMN embedding SET STORAGE MAIN;

CREATE FUNCTION workspace_vector_index_name(p_workspace_id uuid, p_dimension integer)
  RETURNS text
  LANGUAGE sql IMMUTABLE
AS $$ SELECT 'knowledge_chunks_ws_' || replace(p_workspace_id::text, '-', '') || '_' || p_dimension || '_idx' $$;

-- 'built' when it built the index now, 'exists' when it was there already,
-- 'below' when the workspace holds p_min_chunks or fewer chunks of the dimension,
-- 'unindexed' for a dimension pgvector's HNSW cannot index (over 2,000).
CREATE FUNCTION ensure_workspace_vector_index(p_workspace_id uuid, p_dimension integer, p_min_chunks integer)
  RETURNS text
  LANGUAGE plpgsql SECURITY INVOKER
  SET search_path = public, pg_temp
AS $$
DECLARE
  index_name text := workspace_vector_index_name(p_workspace_id, p_dimension);
  chunks bigint;
BEGIN
  IF p_dimension > 2000 THEN
    RETURN 'unindexed';
  END IF;
  IF to_regclass(index_name) IS NOT NULL THEN
    RETURN 'exists';
  END IF;
  -- The owner is subject to the tenant policy too (FORCE ROW LEVEL SECURITY).
  PERFORM set_config('app.workspace_id', p_workspace_id::text, true);
  SELECT count(*) INTO chunks FROM knowledge_chunks WHERE workspace_id = p_workspace_id AND dimension = p_dimension;
  IF chunks <= p_min_chunks THEN
    RETURN 'below';
  END IF;
  -- Two workers finishing documents of one workspace at once build it once.
  PERFORM pg_advisory_xact_lock(hashtext(index_name));
  IF to_regclass(index_name) IS NOT NULL THEN
    RETURN 'exists';
  END IF;
  EXECUTE format(
    'CREATE INDEX %I ON knowledge_chunks USING hnsw ((embedding::vector(%s)) vector_cosine_ops) WHERE workspace_id = %L::uuid AND dimension = %s',
    index_name, p_dimension, p_workspace_id, p_dimension);
  RETURN 'built';
END $$;

REVOKE ALL ON FUNCTION workspace_vector_index_name(uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION workspace_vector_index_name(uuid, integer) TO enclave_app;
REVOKE ALL ON FUNCTION ensure_workspace_vector_index(uuid, integer, integer) FROM PUBLIC;

-- When a workspace is deleted, its indexes go too (their rows are gone already):
-- the number of indexes dropped. Owner only, like ensure_workspace_vector_index.
CREATE FUNCTION drop_workspace_vector_indexes(p_workspace_id uuid)
  RETURNS integer
  LANGUAGE plpgsql SECURITY INVOKER
  SET search_path = public, pg_temp
AS $$
DECLARE
  dropped integer := 0;
  index_name text;
BEGIN
  FOR index_name IN
    SELECT indexname FROM pg_indexes
    WHERE schemaname = 'public' AND tablename = 'knowledge_chunks'
      AND starts_with(indexname, 'knowledge_chunks_ws_' || replace(p_workspace_id::text, '-', '') || '_')
  LOOP
    EXECUTE format('DROP INDEX %I', index_name);
    dropped := dropped + 1;
  END LOOP;
  RETURN dropped;
END $$;

REVOKE ALL ON FUNCTION drop_workspace_vector_indexes(uuid) FROM PUBLIC;
