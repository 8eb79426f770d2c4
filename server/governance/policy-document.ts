// The shape of a workspace policy version (workspace_policies.document): PII
// handling, content rules, allow-lists and approval rules. Every stored document
// is parsed with this schema; missing sections mean "no rule".
import { z } from 'zod';
import type { Tx } from '../db/with-workspace';
import { textSchema } from '../trpc/schemas';

export const PII_TYPES = ['email', 'phone', 'payment_card', 'iban', 'us_ssn', 'ip_address', 'secret'] as const;
export type PiiType = (typeof PII_TYPES)[number];
export const PII_ACTIONS = ['allow', 'redact', 'block'] as const;
export type PiiAction = (typeof PII_ACTIONS)[number];

const piiActions = z.object(
  Object.fromEntries(PII_TYPES.map((type) => [type, z.enum(PII_ACTIONS).default('allow')])) as Record<
    PiiType,
    z.ZodDefault<z.ZodEnum<{ allow: 'allow'; redact: 'redact'; block: 'block' }>>
  >,
);

const contentRule = z.object({
  /** How errors and the policy page name the rule (optional; otherwise its number and value). */
  name: textSchema({ label: 'Rule name', max: 100, optional: true }).optional(),
  kind: z.enum(['term', 'pattern']),
  value: z.string().trim().min(1).max(500),
  appliesTo: z.enum(['input', 'output', 'both']).default('both'),
});

export const policyDocument = z.object({
  pii: z
    .object({
      actions: piiActions.default(Object.fromEntries(PII_TYPES.map((t) => [t, 'allow'])) as Record<PiiType, PiiAction>),
      /** Redacted values are restored in the end user's answer (mapping kept in the run's memory only). */
      reversible: z.boolean().default(false),
    })
    .default({ actions: Object.fromEntries(PII_TYPES.map((t) => [t, 'allow'])) as Record<PiiType, PiiAction>, reversible: false }),
  content: z.object({ rules: z.array(contentRule).max(200).default([]) }).default({ rules: [] }),
  allowLists: z
    .object({
      /** null: every tool is allowed; otherwise only these tool names. */
      tools: z.array(z.string().trim().min(1).max(100)).max(200).nullable().default(null),
      /** null: every model is allowed; otherwise only these model names. */
      models: z.array(z.string().trim().min(1).max(200)).max(200).nullable().default(null),
      /** null: every provider is allowed; otherwise only these provider ids ('local' is the built-in model). */
      providers: z.array(z.string().trim().min(1).max(100)).max(100).nullable().default(null),
    })
    .default({ tools: null, models: null, providers: null }),
  approvals: z
    .object({
      /** A model call whose estimated worst-case cost exceeds this (USD) waits for approval; null: never. */
      costAboveUsd: z.number().nonnegative().max(1_000_000).nullable().default(null),
      /** Calls to these tools wait for approval. */
      tools: z.array(z.string().trim().min(1).max(100)).max(200).default([]),
      /** A pending approval not decided within this many minutes expires and the run fails. */
      expiresAfterMinutes: z.number().int().min(1).max(10_080).default(60),
    })
    .default({ costAboveUsd: null, tools: [], expiresAfterMinutes: 60 }),
});

export type PolicyDocument = z.infer<typeof policyDocument>;

export const DEFAULT_POLICY: PolicyDocument = policyDocument.parse({});

export type WorkspacePolicyVersion = { version: number; document: PolicyDocument; createdAt: Date | null };

/** The policy in force for the transaction's workspace: its highest version, or the default (version 0). */
export async function currentPolicy(tx: Tx, workspaceId: string): Promise<WorkspacePolicyVersion> {
  const row = await tx.workspacePolicy.findFirst({ where: { workspaceId }, orderBy: { version: 'desc' } });
  if (!row) return { version: 0, document: DEFAULT_POLICY, createdAt: null };
  return { version: row.version, document: policyDocument.parse(row.document), createdAt: row.createdAt };
}
