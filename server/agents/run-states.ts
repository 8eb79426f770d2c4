// The states of a run and the only moves between them. Each status write follows
// this table: the claim (queued/expired running → running) and finishRun (running →
// final) guard it in their WHERE clauses, cancelRun checks it here; a finished run never moves.
import { Conflict } from '../domain-errors';

export const RUN_STATES = [
  'queued',
  'running',
  'awaiting_approval',
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
  'budget_exceeded',
] as const;
export type RunState = (typeof RUN_STATES)[number];

const TRANSITIONS: Readonly<Record<RunState, readonly RunState[]>> = {
  queued: ['running', 'cancelled', 'timed_out'],
  // running → running: another worker takes over an expired lease.
  running: ['running', 'awaiting_approval', 'succeeded', 'failed', 'cancelled', 'timed_out', 'budget_exceeded'],
  // Approved: queued again and resumed where it paused; rejected or expired: failed.
  awaiting_approval: ['queued', 'failed', 'cancelled'],
  succeeded: [],
  failed: [],
  cancelled: [],
  timed_out: [],
  budget_exceeded: [],
};

export function canTransition(from: RunState, to: RunState): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: RunState, to: RunState): void {
  if (!canTransition(from, to)) throw new Conflict(`A ${from.replace('_', ' ')} run cannot become ${to.replace('_', ' ')}.`);
}

export function isFinished(state: RunState): boolean {
  return TRANSITIONS[state].length === 0;
}
