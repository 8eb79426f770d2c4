-- Egress allow-lists, the operator's workspace directory, and ledger foreign keys.
--
-- egress_allowed_hosts   per workspace, the hosts http_request and custom HTTP
--                        tools may reach: an exact host or `*.domain` (its
--                        subdomains). Every port of an allowed host is allowed;
--                        private addresses stay refused after DNS resolution
--                        unless the operator's grant (workspace_egress_grants)
--                        lifts that.
-- operator directory     under app.operator (set only by withOperatorDirectory(),
--                        called only from operator procedures) the app role may
--                        read workspace names and egress grants of every
--                        workspace, nothing else.
-- usage_events FKs       a ledger row's run and agent must be in its own
--                        workspace. NO ACTION: a run or agent that has metered
--                        usage cannot be deleted on its own (the app role cannot
--                        delete either anyway), so the ledger never loses rows
--                        silently; deleting the whole workspace still removes
--                        its runs, agents and ledger together, as it removes all
--                        its data (the constraint is checked at the end of that
--                        statement, when all three are gone).

CREATE TABLE egress_allowed_hosts (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  pattern      text NOT NULL,
  note         text NOT NULL DEFAULT '',
  created_by   uuid,
  created_at   timestamptz(6) NOT NULL DEFAULT now(),
  CONSTRAINT egress_allowed_hosts_pattern CHECK (char_length(pattern) BETWEEN 1 AND 255 AND pattern = lower(pattern)),
  CONSTRAINT egress_allowed_hosts_note_length CHECK (char_length(note) <= 200)
);
CREATE UNIQUE INDEX egress_allowed_hosts_workspace_id_pattern_key ON egress_allowed_hosts (workspace_id, pattern);
CREATE UNIQUE INDEX egress_allowed_hosts_workspace_id_id_key ON egress_allowed_hosts (workspace_id, id);

GRANT SELECT, INSERT, DELETE ON egress_allowed_hosts TO enclave_app;

ALTER TABLE egress_allowed_hosts ENABLE ROW LEVEL SECURITY;
ALTER TABLE egress_allowed_hosts FORCE ROW LEVEL SECURITY;
CREATE POLICY egress_allowed_hosts_tenant ON egress_allowed_hosts
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));

CREATE POLICY workspaces_operator_read ON workspaces FOR SELECT
  USING ((SELECT current_setting('app.operator', true)) = 'on');
CREATE POLICY workspace_egress_grants_operator_read ON workspace_egress_grants FOR SELECT
  USING ((SELECT current_setting('app.operator', true)) = 'on');

ALTER TABLE usage_events
  ADD CONSTRAINT usage_events_run_fkey FOREIGN KEY (workspace_id, run_id) REFERENCES runs (workspace_id, id),
  ADD CONSTRAINT usage_events_agent_fkey FOREIGN KEY (workspace_id, agent_id) REFERENCES agents (workspace_id, id);
CREATE INDEX usage_events_workspace_id_run_id_idx ON usage_events (workspace_id, run_id);
CREATE INDEX usage_events_workspace_id_agent_id_idx ON usage_events (workspace_id, agent_id);
