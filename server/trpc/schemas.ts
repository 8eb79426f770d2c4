// Shared zod shapes for procedure inputs and outputs.
import { z } from 'zod';
import { MAX_PROMPT_CHARS, SNIPPET_NAME, SNIPPET_NAME_RULE, VARIABLE_NAME } from '../agents/prompt-template';
import { WORKSPACE_ROLES } from '../tenancy/roles';
import { SLUG_PATTERN } from '../tenancy/workspaces';
import { SECRET_NAME_PATTERN, SECRET_NAME_RULE, secretValueProblem } from '../vault/secret-rules';

export const roleSchema = z.enum(WORKSPACE_ROLES);
export const emailSchema = z.string().trim().toLowerCase().email('Enter a valid email address').max(254);
export const passwordSchema = z
  .string()
  .min(10, 'Use at least 10 characters')
  .max(200, 'Use at most 200 characters');
export const personNameSchema = z.string().trim().min(1, 'Enter your name').max(100);
export const workspaceNameSchema = z.string().trim().min(2, 'Use at least 2 characters').max(80);
export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(SLUG_PATTERN, 'Use 2–63 lowercase letters, digits or dashes, starting with a letter or digit');

export const workspaceSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  role: roleSchema,
});

export const secretNameSchema = z.string().trim().regex(SECRET_NAME_PATTERN, SECRET_NAME_RULE);
/** Never trimmed or echoed: the value is stored exactly as given. */
export const secretValueSchema = z.string().superRefine((value, ctx) => {
  const problem = secretValueProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const agentNameSchema = z.string().trim().min(2, 'Use at least 2 characters').max(80, 'Use at most 80 characters');
export const agentDescriptionSchema = z.string().trim().max(500, 'Use at most 500 characters');
export const changeNoteSchema = z.string().trim().max(500, 'Use at most 500 characters');
export const snippetNameSchema = z.string().trim().toLowerCase().regex(SNIPPET_NAME, SNIPPET_NAME_RULE);

/** The settings of one agent version, as the editor submits them. */
export const agentVersionContentSchema = z.object({
  systemPrompt: z.string().max(MAX_PROMPT_CHARS, `Keep the system prompt under ${MAX_PROMPT_CHARS} characters`),
  variables: z
    .array(
      z.object({
        name: z.string().trim().regex(VARIABLE_NAME, 'Use letters, digits and underscores, not starting with a digit'),
        default: z.string().max(4000).nullable(),
        description: z.string().trim().max(200).default(''),
      }),
    )
    .max(50),
  model: z.string().trim().min(1, 'Choose a model').max(200),
  temperature: z.number().min(0, 'Use 0–2').max(2, 'Use 0–2'),
  maxSteps: z.number().int('Use a whole number').min(1, 'Use 1–100').max(100, 'Use 1–100'),
  maxRunSeconds: z.number().int('Use a whole number').min(1, 'Use 1–3600 seconds').max(3600, 'Use 1–3600 seconds'),
  tools: z.array(z.string().max(64)).max(64),
  memoryEnabled: z.boolean(),
  knowledgeBaseIds: z.array(z.string().uuid()).max(32),
  outputSchema: z.record(z.string(), z.unknown()).nullable(),
});
