-- Knowledge bases, their documents and the chunks retrieval searches.
--
-- knowledge_bases      one per named collection: the embedding model its chunks are
--                      embedded with and that model's dimension.
-- knowledge_documents  one per upload, paste or URL: the raw bytes (content) kept
--                      until the document is deleted so a model change can re-embed
--                      it; its ingestion state (server/knowledge/ingestion-states.ts),
--                      progress, chunk count, failure reason, and the lease of the
--                      worker ingesting it (same claim/lease/retry scheme as runs).
-- knowledge_chunks     the pieces retrieval returns, with position and heading path
--                      for citations, a generated tsvector for full-text search and
--                      the embedding.
--
-- One column for every dimension: `embedding vector` has no typmod, so a 512-d
-- (semantic) and a 384-d (hashed) knowledge base share the table. pgvector indexes
-- need a fixed dimension, so each supported dimension gets a partial HNSW index on
-- the expression embedding::vector(N) WHERE dimension = N; a query uses it only
-- when it repeats that expression and predicate (server/knowledge/hybrid-search.ts).
-- Other dimensions (a tenant provider's model) are searched by exact scan only.
--
-- Claiming ingestion crosses workspaces: under app.ingest_claim a worker may see and
-- update knowledge_documents (nothing else) for the one claim statement in
-- server/knowledge/ingestion-claim.ts; the document is then ingested through
-- withWorkspace().

CREATE TABLE knowledge_bases (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name             text NOT NULL,
  description      text NOT NULL DEFAULT '',
  embedding_model  text NOT NULL,
  dimension        integer NOT NULL,
  created_by       uuid,
  created_at       timestamptz(6) NOT NULL DEFAULT now(),
  updated_at       timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT knowledge_bases_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
  CONSTRAINT knowledge_bases_description_length CHECK (char_length(description) <= 1000),
  CONSTRAINT knowledge_bases_dimension CHECK (dimension BETWEEN 8 AND 4096)
);
CREATE UNIQUE INDEX knowledge_bases_workspace_id_id_key ON knowledge_bases (workspace_id, id);
CREATE UNIQUE INDEX knowledge_bases_workspace_id_name_key ON knowledge_bases (workspace_id, name);

CREATE TABLE knowledge_documents (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id       uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  knowledge_base_id  uuid NOT NULL,
  source_kind        text NOT NULL,
  name               text NOT NULL,
  source_url         text,
  format             text,
  size_bytes         integer NOT NULL DEFAULT 0,
  content            bytea,
  status             text NOT NULL DEFAULT 'queued',
  failure_reason     text,
  progress           integer NOT NULL DEFAULT 0,
  chunk_count        integer NOT NULL DEFAULT 0,
  embedding_model    text,
  attempt_count      integer NOT NULL DEFAULT 0,
  lease_owner        text,
  lease_expires_at   timestamptz(6),
  run_after          timestamptz(6) NOT NULL DEFAULT now(),
  claimed_at         timestamptz(6),
  created_by         uuid,
  created_at         timestamptz(6) NOT NULL DEFAULT now(),
  updated_at         timestamptz(6) NOT NULL DEFAULT now(),
  finished_at        timestamptz(6),
  CONSTRAINT knowledge_documents_base_fkey FOREIGN KEY (workspace_id, knowledge_base_id)
    REFERENCES knowledge_bases (workspace_id, id) ON DELETE CASCADE,
  CONSTRAINT knowledge_documents_source_kind CHECK (source_kind IN ('upload', 'paste', 'url')),
  CONSTRAINT knowledge_documents_status CHECK (status IN ('queued', 'processing', 'ready', 'failed')),
  CONSTRAINT knowledge_documents_progress CHECK (progress BETWEEN 0 AND 100),
  CONSTRAINT knowledge_documents_name_length CHECK (char_length(name) BETWEEN 1 AND 300),
  CONSTRAINT knowledge_documents_url_length CHECK (source_url IS NULL OR char_length(source_url) <= 2048),
  CONSTRAINT knowledge_documents_counts CHECK (size_bytes >= 0 AND chunk_count >= 0 AND attempt_count >= 0)
);
CREATE UNIQUE INDEX knowledge_documents_workspace_id_id_key ON knowledge_documents (workspace_id, id);
CREATE INDEX knowledge_documents_workspace_id_base_idx ON knowledge_documents (workspace_id, knowledge_base_id, created_at);
-- The claim reads ingestible rows only.
CREATE INDEX knowledge_documents_workspace_id_claimable_idx ON knowledge_documents (workspace_id, created_at)
  WHERE status IN ('queued', 'processing');

CREATE TABLE knowledge_chunks (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id       uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  knowledge_base_id  uuid NOT NULL,
  document_id        uuid NOT NULL,
  position           integer NOT NULL,
  heading_path       text[] NOT NULL DEFAULT '{}',
  text               text NOT NULL,
  token_count        integer NOT NULL DEFAULT 0,
  text_search        tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED,
  embedding_model    text NOT NULL,
  dimension          integer NOT NULL,
  embedding          vector NOT NULL,
  created_at         timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT knowledge_chunks_base_fkey FOREIGN KEY (workspace_id, knowledge_base_id)
    REFERENCES knowledge_bases (workspace_id, id) ON DELETE CASCADE,
  CONSTRAINT knowledge_chunks_document_fkey FOREIGN KEY (workspace_id, document_id)
    REFERENCES knowledge_documents (workspace_id, id) ON DELETE CASCADE,
  CONSTRAINT knowledge_chunks_dimension CHECK (vector_dims(embedding) = dimension),
  CONSTRAINT knowledge_chunks_position CHECK (position >= 0)
);
CREATE UNIQUE INDEX knowledge_chunks_workspace_id_document_id_position_key ON knowledge_chunks (workspace_id, document_id, position);
-- The exact scan for small tenants walks this btree (server/knowledge/hybrid-search.ts).
CREATE INDEX knowledge_chunks_workspace_id_base_idx ON knowledge_chunks (workspace_id, knowledge_base_id);
CREATE INDEX knowledge_chunks_text_search_idx ON knowledge_chunks USING gin (text_search);
CREATE INDEX knowledge_chunks_embedding_512_idx ON knowledge_chunks
  USING hnsw ((embedding::vector(512)) vector_cosine_ops) WHERE dimension = 512;
CREATE INDEX knowledge_chunks_embedding_384_idx ON knowledge_chunks
  USING hnsw ((embedding::vector(384)) vector_cosine_ops) WHERE dimension = 384;

-- How an agent version uses its knowledge bases: retrieved into the context before
-- the first model call, or only when the model calls knowledge_search.
ALTER TABLE agent_versions ADD COLUMN knowledge_mode text NOT NULL DEFAULT 'tool'
  CONSTRAINT agent_versions_knowledge_mode CHECK (knowledge_mode IN ('automatic', 'tool'));

GRANT SELECT, INSERT, DELETE ON knowledge_bases TO enclave_app;
GRANT UPDATE (name, description, embedding_model, dimension, updated_at) ON knowledge_bases TO enclave_app;
GRANT SELECT, INSERT, DELETE ON knowledge_documents TO enclave_app;
GRANT UPDATE (status, failure_reason, progress, chunk_count, embedding_model, attempt_count, lease_owner, lease_expires_at,
              run_after, claimed_at, updated_at, finished_at, content, format, size_bytes)
  ON knowledge_documents TO enclave_app;
GRANT SELECT, INSERT, DELETE ON knowledge_chunks TO enclave_app;

ALTER TABLE knowledge_bases ENABLE ROW LEVEL SECURITY;
ALTER TABLE knowledge_bases FORCE ROW LEVEL SECURITY;
ALTER TABLE knowledge_documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE knowledge_documents FORCE ROW LEVEL SECURITY;
ALTER TABLE knowledge_chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE knowledge_chunks FORCE ROW LEVEL SECURITY;

CREATE POLICY knowledge_bases_tenant ON knowledge_bases
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY knowledge_documents_tenant ON knowledge_documents
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY knowledge_documents_claim_select ON knowledge_documents FOR SELECT
  USING (current_setting('app.ingest_claim', true) = 'on');
CREATE POLICY knowledge_documents_claim_update ON knowledge_documents FOR UPDATE
  USING (current_setting('app.ingest_claim', true) = 'on')
  WITH CHECK (current_setting('app.ingest_claim', true) = 'on');
CREATE POLICY knowledge_chunks_tenant ON knowledge_chunks
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
