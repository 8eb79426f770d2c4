// Workspace policy procedures: everyone who may read policies sees the version in
// force, its history and can test text against it (or a draft); admins save new versions.
import { z } from 'zod';
import { PII_ACTIONS, PII_TYPES, policyDocument } from '../../governance/policy-document';
import { policyHistory, policyOfWorkspace, previewPolicyText, savePolicy } from '../../governance/workspace-policies';
import { router, scopedProcedure } from '../init';
import { safeString } from '../schemas';

/** The document as an editor sends it; Postgres cannot store NUL characters or lone surrogates in text. */
const documentInput = policyDocument.superRefine((document, ctx) => {
  const strings = collectStrings(document);
  if (strings.some((s) => s.includes('\u0000') || /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s))) {
    ctx.addIssue({ code: 'custom', message: 'The policy may not contain NUL characters or broken Unicode.' });
  }
});

function collectStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(collectStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(collectStrings);
  return [];
}

const policySchema = z.object({ version: z.number(), document: policyDocument, createdAt: z.date().nullable() });

const historySchema = z.array(
  z.object({
    version: z.number(),
    createdAt: z.date(),
    createdBy: z.string().nullable(),
    changes: z.array(z.object({ field: z.string(), before: z.string(), after: z.string() })),
  }),
);

const previewSchema = z.object({
  text: z.string(),
  refusal: z.string().nullable(),
  detections: z.array(
    z.object({
      type: z.enum(PII_TYPES),
      label: z.string(),
      action: z.enum(PII_ACTIONS),
      placeholder: z.string().nullable(),
      start: z.number(),
      end: z.number(),
    }),
  ),
});

export const TEST_TEXT_MAX = 20_000;

export const policiesRouter = router({
  current: scopedProcedure('policies:read')
    .output(policySchema)
    .query(({ ctx }) => policyOfWorkspace(ctx.db, ctx.actor.workspaceId)),

  history: scopedProcedure('policies:read')
    .output(historySchema)
    .query(({ ctx }) => policyHistory(ctx.db, ctx.actor.workspaceId)),

  save: scopedProcedure('policies:write')
    .input(z.object({ document: documentInput, baseVersion: z.number().int().min(0) }))
    .output(z.object({ version: z.number() }))
    .mutation(async ({ ctx, input }) => {
      const saved = await savePolicy(ctx.db, ctx.actor, input);
      return { version: saved.version };
    }),

  /** What the policy (the draft when given, else the one in force) would do to this text. */
  test: scopedProcedure('policies:read')
    .input(
      z.object({
        text: safeString('Text').pipe(z.string().min(1, 'Enter some text to test.').max(TEST_TEXT_MAX, `Test at most ${TEST_TEXT_MAX} characters at a time.`)),
        direction: z.enum(['input', 'output']).default('input'),
        draft: documentInput.optional(),
      }),
    )
    .output(previewSchema)
    .mutation(async ({ ctx, input }) => {
      const document = input.draft ?? (await policyOfWorkspace(ctx.db, ctx.actor.workspaceId)).document;
      return previewPolicyText(ctx.actor.workspaceId, document, input.text, input.direction);
    }),
});
