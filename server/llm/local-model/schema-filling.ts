// Fills a JSON schema deterministically from the words of a message: tool-call
// arguments and structured outputs. A property takes, in this order, a value
// written next to its name ("order_id 42", "city=Paris", "unit: celsius",
// 'title "Q3 plan"'), an enum value the text mentions, the next unused quoted
// string or number, and for strings the free text; otherwise a valid default.
import type { JsonSchema } from './request-schemas';

export type FillSource = {
  /** The text values are looked up in (the user's last message). */
  text: string;
  /** What a string property gets when nothing names it (leftover words, or an answer). */
  freeText: string;
};

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
  maxLength?: number;
  default?: unknown;
};

const MAX_DEPTH = 8;

/** Unused quoted strings and numbers of the text, consumed in order of appearance. */
class Leftovers {
  private readonly quoted: string[];
  private readonly numbers: number[];
  private freeTextUsed = false;

  constructor(private readonly source: FillSource) {
    this.quoted = [...source.text.matchAll(new RegExp(QUOTED, 'g'))].map((m) => m[1] ?? m[2] ?? m[3]!).filter(Boolean);
    this.numbers = [...source.text.matchAll(/(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])/g)].map((m) => Number(m[0]));
  }

  take(value: unknown) {
    if (typeof value === 'string') this.drop(this.quoted, value);
    if (typeof value === 'number') this.drop(this.numbers, value);
  }

  nextString(): string {
    const quoted = this.quoted.shift();
    if (quoted !== undefined) return quoted;
    if (this.freeTextUsed) return '';
    this.freeTextUsed = true;
    return this.source.freeText;
  }

  nextNumber(): number | undefined {
    return this.numbers.shift();
  }

  private drop<T>(list: T[], value: T) {
    const at = list.indexOf(value);
    if (at >= 0) list.splice(at, 1);
  }
}

/** A JSON value valid for `schema`, taken from `source` where the schema allows. */
export function fillSchema(schema: JsonSchema, source: FillSource): unknown {
  const root = schema as Schema;
  return fill(root, root, source, new Leftovers(source), undefined, 0);
}

function fill(schema: Schema, root: Schema, source: FillSource, left: Leftovers, key: string | undefined, depth: number): unknown {
  const resolved = resolve(schema, root);
  if (depth > MAX_DEPTH) return null;
  if (resolved.const !== undefined) return resolved.const;

  const named = key === undefined ? undefined : valueNamed(key, source.text);
  if (resolved.enum?.length) return pickEnum(resolved.enum, named, source.text);

  switch (primaryType(resolved)) {
    case 'object':
      return fillObject(resolved, root, source, left, depth);
    case 'array': {
      const count = Math.min(Math.max(resolved.minItems ?? 0, 1), resolved.maxItems ?? 1);
      return Array.from({ length: count }, () => fill(resolved.items ?? {}, root, source, left, key, depth + 1));
    }
    case 'integer':
    case 'number':
      return fillNumber(resolved, named, left);
    case 'boolean':
      return named !== undefined ? /^(true|yes|on|1)$/i.test(named) : false;
    case 'null':
      return null;
    default: {
      let text = named ?? left.nextString();
      if (named !== undefined) left.take(named);
      if (resolved.maxLength !== undefined) text = text.slice(0, resolved.maxLength);
      return text;
    }
  }
}

function fillObject(schema: Schema, root: Schema, source: FillSource, left: Leftovers, depth: number) {
  const result: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  const properties = Object.entries(schema.properties ?? {});
  // Properties named in the text claim their values first, so positional
  // leftovers go to the ones that were not named.
  const isNamed = (key: string) => valueNamed(key, source.text) !== undefined;
  for (const [key, property] of properties) {
    if (isNamed(key)) result[key] = fill(property, root, source, left, key, depth + 1);
  }
  for (const [key, property] of properties) {
    if (!(key in result) && required.has(key)) result[key] = fill(property, root, source, left, key, depth + 1);
  }
  // Keep the schema's property order in the output.
  return Object.fromEntries(properties.filter(([key]) => key in result).map(([key]) => [key, result[key]]));
}

function fillNumber(schema: Schema, named: string | undefined, left: Leftovers): number {
  const integer = primaryType(schema) === 'integer';
  let value = named !== undefined ? Number(named) : Number.NaN;
  if (Number.isFinite(value)) left.take(value);
  else value = left.nextNumber() ?? schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0);
  if (integer) value = Math.round(value);
  if (schema.minimum !== undefined) value = Math.max(value, schema.minimum);
  if (schema.maximum !== undefined) value = Math.min(value, schema.maximum);
  return value;
}

function pickEnum(values: unknown[], named: string | undefined, text: string): unknown {
  const byName = named === undefined ? undefined : values.find((v) => String(v).toLowerCase() === named.toLowerCase());
  if (byName !== undefined) return byName;
  const lower = text.toLowerCase();
  const mentioned = values
    .map((v) => ({ v, at: lower.search(new RegExp(`\\b${escapeRegExp(String(v).toLowerCase())}\\b`)) }))
    .filter((m) => m.at >= 0)
    .sort((a, b) => a.at - b.at)[0];
  return mentioned ? mentioned.v : values[0];
}

function primaryType(schema: Schema): string | undefined {
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const nonNull = types.find((t) => t !== 'null');
  if (nonNull) return nonNull;
  if (types.length) return 'null';
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return undefined;
}

/** Follows local $refs and takes the first non-null branch of anyOf/oneOf; merges allOf. */
function resolve(schema: Schema, root: Schema, depth = 0): Schema {
  if (depth > MAX_DEPTH) return schema;
  if (schema.$ref?.startsWith('#/')) {
    const target = schema.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), root);
    if (target && typeof target === 'object') return resolve(target as Schema, root, depth + 1);
  }
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches?.length) {
    const branch = branches.find((b) => resolve(b, root, depth + 1).type !== 'null') ?? branches[0]!;
    return resolve(branch, root, depth + 1);
  }
  if (schema.allOf?.length) {
    return schema.allOf.reduce<Schema>((merged, part) => {
      const r = resolve(part, root, depth + 1);
      return {
        ...merged,
        ...r,
        properties: { ...merged.properties, ...r.properties },
        required: [...(merged.required ?? []), ...(r.required ?? [])],
      };
    }, {});
  }
  return schema;
}

/**
 * The value written next to `key` in the text: `key value`, `key=value`,
 * `key: value`, `key is value`, with the key as written or with spaces for its
 * underscores, dashes or camelCase humps. A quoted value, or one after a colon
 * (up to the next comma, semicolon or line end), may hold spaces.
 */
export function valueNamed(key: string, text: string): string | undefined {
  for (const spelling of keySpellings(key)) {
    const at = `(?<![\\w])${spelling}`;
    const quoted = new RegExp(`${at}\\s*(?:=|:|\\s+is\\s+|\\s)\\s*${QUOTED}`, 'i').exec(text);
    if (quoted) return quoted[1] ?? quoted[2] ?? quoted[3]!;
    const clause = new RegExp(`${at}\\s*:\\s*([^,;\\n]+)`, 'i').exec(text);
    if (clause) return trimValue(clause[1]!);
    const word = new RegExp(`${at}\\s*(?:=|\\s+is\\s+|\\s)\\s*([^\\s,;]+)`, 'i').exec(text);
    if (word) return trimValue(word[1]!);
  }
  return undefined;
}

/** A quoted string: double quotes, curly quotes, or single quotes not inside a word (it's). */
const QUOTED = `(?:"([^"]*)"|“([^”]*)”|(?<!\\w)'([^']*)'(?!\\w))`;

function trimValue(value: string): string {
  return value.trim().replace(/[.!?)]+$/, '');
}

function keySpellings(key: string): string[] {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[_\-\s]+/)
    .filter(Boolean)
    .map(escapeRegExp);
  const spellings = [escapeRegExp(key), words.join('[\\s_-]+')];
  return [...new Set(spellings)];
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
