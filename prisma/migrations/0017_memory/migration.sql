-- Conversation threads and long-term memory, per (workspace, agent, end user).
--
-- threads          one conversation of an end user with an agent: its running summary
--                  of older turns (written by the run loop when the history outgrows
--                  its token budget) and the last message position that summary covers.
-- thread_messages  the turns of a thread in order: the user's message and the agent's
--                  final answer of each run, keyed by run so a retried run appends once.
-- memory_items     facts an agent saved about an end user (memory_save), with their
--                  embedding for recall; the source run and step key the save, so a
--                  redone step saves once, and the browser links the run.
--
-- End users are isolated by the database, not by a filter: besides the workspace, the
-- policies require app.end_user_id to equal the row's end user (withEndUser(), set by
-- a run for its end user), or app.end_user_admin = 'on' (withWorkspaceEndUsers(), the
-- workspace's memory browser only). A query that forgot its end-user filter inside a
-- run sees that end user's rows and nobody else's; withWorkspace() alone sees none.
--
-- runs.thread_id names the thread a run continues (or starts: the worker creates it
-- under the run's end user when it does not exist yet).

ALTER TABLE runs ADD COLUMN thread_id uuid;

CREATE TABLE threads (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id          uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  agent_id              uuid NOT NULL,
  end_user_id           text NOT NULL,
  title                 text NOT NULL DEFAULT '',
  summary               text NOT NULL DEFAULT '',
  summarized_through    integer NOT NULL DEFAULT -1,
  created_at            timestamptz(6) NOT NULL DEFAULT now(),
  updated_at            timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT threads_agent_fkey FOREIGN KEY (workspace_id, agent_id)
    REFERENCES agents (workspace_id, id) ON DELETE CASCADE,
  CONSTRAINT threads_end_user_length CHECK (char_length(end_user_id) BETWEEN 1 AND 200),
  CONSTRAINT threads_title_length CHECK (char_length(title) <= 200)
);
CREATE UNIQUE INDEX threads_workspace_id_id_key ON threads (workspace_id, id);
-- A message's end user is its thread's: the key carries it, since key checks run outside RLS.
CREATE UNIQUE INDEX threads_workspace_id_id_end_user_id_key ON threads (workspace_id, id, end_user_id);
CREATE INDEX threads_workspace_id_end_user_id_agent_id_idx ON threads (workspace_id, end_user_id, agent_id, updated_at);

CREATE TABLE thread_messages (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  thread_id     uuid NOT NULL,
  end_user_id   text NOT NULL,
  position      integer NOT NULL,
  role          text NOT NULL,
  content       text NOT NULL,
  token_count   integer NOT NULL DEFAULT 0,
  run_id        uuid,
  created_at    timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT thread_messages_thread_fkey FOREIGN KEY (workspace_id, thread_id, end_user_id)
    REFERENCES threads (workspace_id, id, end_user_id) ON DELETE CASCADE,
  CONSTRAINT thread_messages_role CHECK (role IN ('user', 'assistant')),
  CONSTRAINT thread_messages_position CHECK (position >= 0)
);
CREATE UNIQUE INDEX thread_messages_workspace_id_thread_id_position_key ON thread_messages (workspace_id, thread_id, position);
-- A run appends its user message and its answer once, even when it is retried.
CREATE UNIQUE INDEX thread_messages_workspace_id_run_id_role_key ON thread_messages (workspace_id, run_id, role);

CREATE TABLE memory_items (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  agent_id         uuid NOT NULL,
  end_user_id      text NOT NULL,
  text             text NOT NULL,
  embedding_model  text NOT NULL,
  dimension        integer NOT NULL,
  embedding        vector NOT NULL,
  source_run_id    uuid,
  source_step_index integer,
  created_at       timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT memory_items_agent_fkey FOREIGN KEY (workspace_id, agent_id)
    REFERENCES agents (workspace_id, id) ON DELETE CASCADE,
  CONSTRAINT memory_items_end_user_length CHECK (char_length(end_user_id) BETWEEN 1 AND 200),
  CONSTRAINT memory_items_text_length CHECK (char_length(text) BETWEEN 1 AND 2000),
  CONSTRAINT memory_items_dimension CHECK (vector_dims(embedding) = dimension)
);
-- Recall is an exact scan of one end user's items with one agent: few rows, full recall.
-- A memory_save step redone after a worker died finds the item it saved instead of saving it twice.
CREATE UNIQUE INDEX memory_items_workspace_id_source_run_id_source_step_index_key ON memory_items (workspace_id, source_run_id, source_step_index);
CREATE INDEX memory_items_workspace_id_end_user_id_agent_id_idx ON memory_items (workspace_id, end_user_id, agent_id, created_at);

GRANT SELECT, INSERT, DELETE ON threads TO enclave_app;
GRANT UPDATE (title, summary, summarized_through, updated_at) ON threads TO enclave_app;
GRANT SELECT, INSERT, DELETE ON thread_messages TO enclave_app;
GRANT SELECT, INSERT, DELETE ON memory_items TO enclave_app;

ALTER TABLE threads ENABLE ROW LEVEL SECURITY;
ALTER TABLE threads FORCE ROW LEVEL SECURITY;
ALTER TABLE thread_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE thread_messages FORCE ROW LEVEL SECURITY;
ALTER TABLE memory_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE memory_items FORCE ROW LEVEL SECURITY;

CREATE POLICY threads_tenant ON threads
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid)
         AND (end_user_id = (SELECT nullif(current_setting('app.end_user_id', true), ''))
              OR (SELECT current_setting('app.end_user_admin', true)) = 'on'))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid)
              AND (end_user_id = (SELECT nullif(current_setting('app.end_user_id', true), ''))
                   OR (SELECT current_setting('app.end_user_admin', true)) = 'on'));
CREATE POLICY thread_messages_tenant ON thread_messages
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid)
         AND (end_user_id = (SELECT nullif(current_setting('app.end_user_id', true), ''))
              OR (SELECT current_setting('app.end_user_admin', true)) = 'on'))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid)
              AND (end_user_id = (SELECT nullif(current_setting('app.end_user_id', true), ''))
                   OR (SELECT current_setting('app.end_user_admin', true)) = 'on'));
CREATE POLICY memory_items_tenant ON memory_items
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid)
         AND (end_user_id = (SELECT nullif(current_setting('app.end_user_id', true), ''))
              OR (SELECT current_setting('app.end_user_admin', true)) = 'on'))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid)
              AND (end_user_id = (SELECT nullif(current_setting('app.end_user_id', true), ''))
                   OR (SELECT current_setting('app.end_user_admin', true)) = 'on'));
