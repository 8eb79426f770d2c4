// The router's procedures as the suites see them — path, type, access meta,
// required scope, generated inputs — and a way to call one by its dotted path
// as a given user, the way a client would. Used by the isolation and role suites
// so every procedure, including ones added later, is exercised automatically.
import { randomBytes } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { createContext, type SessionUser } from '../trpc/context';
import type { Meta } from '../trpc/init';
import { appRouter, createCaller } from '../trpc/root';
import { inputFields, SAMPLE_VALUES, type InputField } from './procedure-inputs';

type ProcedureDef = { type: string; meta?: Partial<Meta>; inputs: unknown[] };
export type Procedure = { path: string; type: string; meta: Partial<Meta>; fields: () => InputField[] };
export type Outcome = { ok: true } | { ok: false; code: TRPCError['code']; message: string };

export const procedures: Procedure[] = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>,
).map(([path, p]) => ({
  path,
  type: p._def.type,
  meta: p._def.meta ?? {},
  fields: () => inputFields(p._def.inputs, path),
}));

export const workspaceProcedures = () => procedures.filter((p) => p.meta.access === 'workspace');

/** A failure message listing each problem on its own line. */
export function listing(title: string, problems: string[]): string {
  return `${title}:\n  ${problems.join('\n  ')}`;
}

/** A value the field's schema accepts; ids come from `ids` (workspaceId included). */
function sampleValue(procedure: string, field: InputField, ids: Record<string, string>): unknown {
  if (field.name.endsWith('Id')) {
    const id = ids[field.name];
    if (!id) throw new Error(`${procedure}: no fixture for input field ${field.name}; add it to the suite's entity ids`);
    return id;
  }
  if (field.name in SAMPLE_VALUES) return SAMPLE_VALUES[field.name];
  if (field.options) return field.options[0];
  if (field.type === 'boolean') return true;
  if (field.type === 'number') return 1;
  // Lists and maps (tool names, declared variables, JSON schemas) are sampled empty.
  if (field.type === 'array') return [];
  if (field.type === 'record') return {};
  if (field.type !== 'string') throw new Error(`${procedure}: cannot sample ${field.name} of zod type ${field.type}`);
  const fresh = randomBytes(4).toString('hex');
  if (field.name === 'email') return `probe-${fresh}@probe.test`;
  if (field.name === 'slug') return `probe-${fresh}`;
  if (field.name === 'name') return 'Renamed';
  return 'x';
}

export function sampleInput(p: Procedure, ids: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(p.fields().map((f) => [f.name, sampleValue(p.path, f, ids)]));
}

/** Calls a procedure by its dotted path as `user`; tRPC errors become outcomes. */
export async function call(user: SessionUser, path: string, input: unknown): Promise<Outcome> {
  let target: unknown = createCaller(createContext(user));
  for (const segment of path.split('.')) target = (target as Record<string, unknown>)[segment];
  try {
    await (target as (input: unknown) => Promise<unknown>)(input);
    return { ok: true };
  } catch (error) {
    if (error instanceof TRPCError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

export const show = (o: Outcome) => (o.ok ? 'succeeded' : `${o.code} "${o.message}"`);
