// Shared zod shapes for procedure inputs and outputs. Every user-supplied string
// goes through safeString() (no NUL, no lone surrogates: Postgres cannot store the
// first and would silently turn the second into U+FFFD), and every name through
// textSchema(), which also normalises to NFC and refuses text that would render
// deceptively: control characters, bidirectional overrides, line separators, or
// nothing visible at all. Messages are plain English, written for the form.
import { z } from 'zod';
import { MAX_PROMPT_CHARS, SNIPPET_NAME, SNIPPET_NAME_RULE, VARIABLE_NAME } from '../agents/prompt-template';
import { WORKSPACE_ROLES } from '../tenancy/roles';
import { SLUG_PATTERN } from '../tenancy/workspaces';
import { SECRET_NAME_PATTERN, SECRET_NAME_RULE, secretValueProblem } from '../vault/secret-rules';
import { plainMessage } from './plain-messages';

// Limits a schema states without a message of its own still read as plain sentences.
z.config({ customError: plainMessage });

// Control characters (C0, DEL, C1), line and paragraph separators.
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
// Bidirectional embeddings, overrides, isolates and marks: they reorder what the reader sees.
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
// Characters that draw nothing on their own: marks, format characters, spaces, fillers.
const INVISIBLE = /[\p{M}\p{Cf}\p{Z}\s\u115F\u1160\u3164\uFFA0\u2800\u180E]/gu;

// In a /u regex a paired surrogate is one code point, so this matches only unpaired halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

type StringIssue = { message: string } | null;

/** Problems any string input may have, whatever it is for. */
function baseProblem(value: string, label: string): StringIssue {
  if (value.includes('\u0000')) return { message: `${label} cannot contain a NUL character` };
  if (LONE_SURROGATE.test(value)) return { message: `${label} contains an incomplete character` };
  return null;
}

function textError(label: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? `Enter ${label.toLowerCase()}` : `${label} must be text`);
}

/** A string with no NUL and no lone surrogates (tokens, passwords, free text). */
export function safeString(label: string) {
  return z.string({ error: textError(label) }).superRefine((value, ctx) => {
    const problem = baseProblem(value, label);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message });
  });
}

/** Where a request's input holds a string no column can take, and what is wrong with it. */
export type UnsafeString = { path: (string | number)[]; message: string };

const MAX_INPUT_DEPTH = 64;

/** Keys whose form label is not their own words. */
const LABELS: Record<string, string> = { slug: 'URL', token: 'Link' };

/** A field's key as a form label: `fileName` → "File name". */
function labelOf(path: (string | number)[]): string {
  const key = [...path].reverse().find((part): part is string => typeof part === 'string');
  if (!key) return 'Text';
  if (LABELS[key]) return LABELS[key];
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The first string anywhere in `input` (values and keys, up to 64 levels deep;
 * deeper input is itself refused) with a NUL or a lone surrogate, or null. Every procedure's raw input is checked with
 * this before its own schema runs, so a field typed as a plain string still
 * cannot carry either into Postgres.
 */
export function unsafeStringIn(input: unknown, path: (string | number)[] = []): UnsafeString | null {
  if (typeof input === 'string') {
    const problem = baseProblem(input, labelOf(path));
    return problem ? { path, message: problem.message } : null;
  }
  if (input === null || typeof input !== 'object') return null;
  if (path.length >= MAX_INPUT_DEPTH) return { path, message: `Input is nested more than ${MAX_INPUT_DEPTH} levels deep` };
  const entries: [string | number, unknown][] = Array.isArray(input) ? input.map((v, i) => [i, v]) : Object.entries(input);
  for (const [key, value] of entries) {
    if (typeof key === 'string') {
      const problem = baseProblem(key, 'A field name');
      if (problem) return { path, message: problem.message };
    }
    const found = unsafeStringIn(value, [...path, key]);
    if (found) return found;
  }
  return null;
}

const characters = (value: string) => [...value].length;

/**
 * A name people will read: trimmed, normalised to NFC, `min`–`max` characters
 * (counted as the reader counts them, not UTF-16 units), and free of control,
 * bidirectional and invisible-only text.
 */
export function textSchema({
  label,
  min = 1,
  max,
  requiredMessage,
  optional = false,
}: {
  label: string;
  min?: number;
  max: number;
  requiredMessage?: string;
  /** Empty (or only spaces) is accepted as '' — for names that have a default. */
  optional?: boolean;
}) {
  return z.string({ error: textError(label) }).transform((raw, ctx) => {
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    const problem = baseProblem(raw, label);
    if (problem) return fail(problem.message);
    const value = raw.normalize('NFC').trim();
    if (value.length === 0) return optional ? value : fail(requiredMessage ?? `Enter ${label.toLowerCase()}`);
    if (CONTROL.test(value)) return fail(`${label} cannot contain line breaks, tabs or other control characters`);
    if (BIDI.test(value)) return fail(`${label} cannot contain text-direction control characters`);
    if (value.replace(INVISIBLE, '').length === 0) return fail(`${label} must include at least one visible letter, digit or symbol`);
    const length = characters(value);
    if (length < min) return fail(`${label} must be at least ${min} characters`);
    if (length > max) return fail(`${label} can be at most ${max} characters`);
    return value;
  });
}

export const roleSchema = z.enum(WORKSPACE_ROLES, { error: 'Choose a role: owner, admin, member or viewer' });
export const emailSchema = safeString('Email')
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.string().max(254, 'Email can be at most 254 characters').email('Enter a valid email address'));
export const passwordSchema = safeString('Password')
  .pipe(z.string().min(10, 'Use at least 10 characters').max(200, 'Use at most 200 characters'));
export const personNameSchema = textSchema({ label: 'Name', max: 100, requiredMessage: 'Enter your name' });
export const workspaceNameSchema = textSchema({ label: 'Workspace name', min: 2, max: 80 });
export const slugSchema = safeString('URL')
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.string().regex(SLUG_PATTERN, 'Use 2–63 lowercase letters, digits or dashes, starting with a letter or digit'));
/** An invitation link's token, as pasted from the URL. */
export const invitationTokenSchema = safeString('Invitation link').pipe(
  z.string().min(20, 'This invitation link is not valid').max(100, 'This invitation link is not valid'),
);
export const uuidSchema = (label: string) => z.uuid({ error: `${label} is not a valid id` });

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

export const agentNameSchema = textSchema({ label: 'Agent name', min: 2, max: 80 });
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
  knowledgeMode: z.enum(['automatic', 'tool']).default('tool'),
  outputSchema: z.record(z.string(), z.unknown()).nullable(),
  cacheEnabled: z.boolean().default(false),
  cacheTtlSeconds: z
    .number()
    .int('Use a whole number of seconds')
    .min(10, 'Use 10 seconds to 30 days (2592000 seconds)')
    .max(2_592_000, 'Use 10 seconds to 30 days (2592000 seconds)')
    .default(3600),
  cacheSimilarityThreshold: z.number().min(0, 'Use a number from 0 to 1').max(1, 'Use a number from 0 to 1').nullable().default(null),
});

/** A knowledge document's name; empty means the domain's default (the file or the URL it came from). */
export const documentNameSchema = (label: string) => textSchema({ label, max: 300, optional: true });

/** The years a date filter may name (Postgres has no year 0, and before 1970 nothing here was recorded). */
const FIRST_YEAR = 1970;
const LAST_YEAR = 9999;
export const isFilterYear = (date: Date) => date.getUTCFullYear() >= FIRST_YEAR && date.getUTCFullYear() <= LAST_YEAR;
export const FILTER_YEARS_RULE = `between ${FIRST_YEAR} and ${LAST_YEAR}`;

/** A date or time a list is filtered by: anything `Date` reads, within the years above. */
export const dateFilterSchema = (label: string) =>
  z.coerce.date({ error: `${label} is not a valid date` }).refine(isFilterYear, `${label} must be ${FILTER_YEARS_RULE}`);
