// Reads a tRPC procedure's zod (v4) input schemas as a flat list of fields, so
// the isolation suite can generate an input for every procedure — including
// ones added later — without a hand-written case per procedure.

export type InputField = {
  name: string;
  /** The zod type once optional/default/pipe wrappers are removed: 'string', 'enum', 'number'… */
  type: string;
  optional: boolean;
  /** Allowed values of an enum or literal. */
  options?: unknown[];
};

type ZodDef = { type: string; [key: string]: unknown };
type ZodNode = { _zod: { def: ZodDef } };

/** Wrapper types and the property holding the wrapped schema. */
const WRAPPERS: Record<string, string> = {
  optional: 'innerType',
  nullable: 'innerType',
  default: 'innerType',
  prefault: 'innerType',
  nonoptional: 'innerType',
  readonly: 'innerType',
  catch: 'innerType',
  pipe: 'in',
};

function defOf(schema: unknown, where: string): ZodDef {
  const def = (schema as Partial<ZodNode> | undefined)?._zod?.def;
  if (!def) throw new Error(`${where}: not a zod v4 schema`);
  return def;
}

function unwrap(schema: unknown, where: string): { def: ZodDef; optional: boolean } {
  let def = defOf(schema, where);
  let optional = false;
  while (WRAPPERS[def.type]) {
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault') optional = true;
    def = defOf(def[WRAPPERS[def.type]!], where);
  }
  return { def, optional };
}

/** The fields of all of a procedure's `.input()` schemas, merged the way tRPC merges them. */
export function inputFields(inputs: unknown[], procedure: string): InputField[] {
  const fields = new Map<string, InputField>();
  for (const input of inputs) {
    const { def } = unwrap(input, procedure);
    if (def.type !== 'object') throw new Error(`${procedure}: input is a zod ${def.type}, expected an object`);
    for (const [name, schema] of Object.entries(def.shape as Record<string, unknown>)) {
      const field = unwrap(schema, `${procedure}.${name}`);
      const options =
        field.def.type === 'enum'
          ? Object.values(field.def.entries as Record<string, unknown>)
          : field.def.type === 'literal'
            ? (field.def.values as unknown[])
            : undefined;
      fields.set(name, { name, type: field.def.type, optional: field.optional, options });
    }
  }
  return [...fields.values()];
}

/**
 * Values for fields the generic sampler cannot invent (arrays, ranges), by field
 * name. A sample must pass the procedure's schema, so a refusal can only come
 * from access or ownership checks; none of these makes a network call.
 */
export const SAMPLE_VALUES: Readonly<Record<string, unknown>> = {
  // A provider's models and a route's fallbacks.
  models: ['enclave-local-chat'],
  fallbacks: [],
  // Refused as private before any look-up, so no probe ever dials it.
  baseUrl: 'http://127.0.0.1:9/v1',
  timeoutMs: 60_000,
  // A run-list time window wide enough to hold every seeded run.
  from: '2000-01-01T00:00:00.000Z',
  to: '2100-01-01T00:00:00.000Z',
  // A run's stream cursor (attempt.step.seq) before any chunk.
  after: '0.0.0',
  // An embedding dimension a knowledge base accepts.
  dimension: 384,
  // A version's response cache TTL (seconds) within its range.
  cacheTtlSeconds: 3600,
  // An operator's per-limit overrides: every limit back to the plan's value.
  overrides: {
    runsPerMinute: null,
    tokensPerMinute: null,
    apiRequestsPerMinute: null,
    concurrentRuns: null,
    maxRunDurationMs: null,
    maxSteps: null,
    knowledgeMaxChunks: null,
    knowledgeMaxBytes: null,
    schedulingWeight: null,
  },
  // The audit log's filter: everything.
  filter: {},
  // A workspace policy to save on top of the seeded version 1, and a draft to test text against.
  document: { pii: { actions: { email: 'redact' }, reversible: true } },
  baseVersion: 1,
  draft: { pii: { actions: { phone: 'block' } } },
};
