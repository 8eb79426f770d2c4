// Shared zod shapes for procedure inputs and outputs.
import { z } from 'zod';
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
