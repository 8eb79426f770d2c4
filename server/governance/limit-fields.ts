// The plans and the limits an operator may override, named once for the domain,
// the procedures and the operator's form (this file imports nothing, so client
// components may use it).

export const PLAN_IDS = ['free', 'pro', 'enterprise'] as const;
export type PlanId = (typeof PLAN_IDS)[number];

/** The limits an operator may override, in the order pages show them. */
export const LIMIT_FIELDS = [
  'runsPerMinute',
  'tokensPerMinute',
  'apiRequestsPerMinute',
  'concurrentRuns',
  'maxRunDurationMs',
  'maxSteps',
  'knowledgeMaxChunks',
  'knowledgeMaxBytes',
  'schedulingWeight',
] as const;
export type LimitField = (typeof LIMIT_FIELDS)[number];

export const LIMIT_LABELS: Record<LimitField, string> = {
  runsPerMinute: 'Runs started per minute',
  tokensPerMinute: 'Model tokens per minute',
  apiRequestsPerMinute: 'API requests per minute',
  concurrentRuns: 'Concurrent runs',
  maxRunDurationMs: 'Max run duration (ms)',
  maxSteps: 'Max steps per run',
  knowledgeMaxChunks: 'Knowledge chunks',
  knowledgeMaxBytes: 'Knowledge storage (bytes)',
  schedulingWeight: 'Scheduling weight',
};

/** Per limit: a whole number, or null for the plan's value. */
export type LimitOverrides = Record<LimitField, number | null>;
