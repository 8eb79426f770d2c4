-- Two run states that governance adds, declared once so budgets and approvals
-- both build on them:
-- awaiting_approval  a step waits for an admin's decision (approval rules); it is
--                    not claimable, and resumes as queued when approved.
-- budget_exceeded    final: a hard budget had no room for the next model call.
ALTER TABLE runs DROP CONSTRAINT runs_status;
ALTER TABLE runs ADD CONSTRAINT runs_status
  CHECK (status IN ('queued', 'running', 'awaiting_approval', 'succeeded', 'failed', 'cancelled', 'timed_out', 'budget_exceeded'));
