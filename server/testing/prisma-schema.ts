// A small, strict reader for the subset of Prisma schema language Enclave uses
// (models, enums, field lines, @map/@@map, @db.X, `?`, `[]`, Unsupported(...)),
// so the schema-drift test can compare schema.prisma with the migrated database.
// It throws on anything it does not understand rather than guessing.

export type PrismaField = {
  name: string;
  /** Scalar, enum or model name; for Unsupported("vector(3)") the raw SQL type. */
  type: string;
  kind: 'scalar' | 'enum' | 'relation' | 'unsupported';
  optional: boolean;
  list: boolean;
  /** The database column: @map("...") or the field name. */
  column: string;
  /** @db.Timestamptz(6) → { name: 'Timestamptz', args: ['6'] } */
  nativeType?: { name: string; args: string[] };
};

export type PrismaModel = { name: string; table: string; fields: PrismaField[] };
export type PrismaEnum = { name: string; dbName: string; values: string[] };
export type PrismaSchema = { models: PrismaModel[]; enums: PrismaEnum[] };

const SCALARS = new Set(['String', 'Boolean', 'Int', 'BigInt', 'Float', 'Decimal', 'DateTime', 'Json', 'Bytes']);
const BLOCK_START = /^(model|enum|generator|datasource)\s+(\w+)\s*\{$/;
const FIELD = /^(\w+)\s+(Unsupported\("([^"]+)"\)|\w+)(\[\])?(\?)?(?:\s+(.*))?$/;
const MAP = /@map\("([^"]+)"\)/;
const NATIVE = /@db\.(\w+)(?:\(([^)]*)\))?/;

/** Drops // and /// comments that are not inside a string literal. */
function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\' && inString) i++;
    else if (ch === '"') inString = !inString;
    else if (!inString && ch === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}

type RawBlock = { kind: string; name: string; lines: string[]; startLine: number };

function splitBlocks(source: string): RawBlock[] {
  const blocks: RawBlock[] = [];
  let current: RawBlock | undefined;
  source.split('\n').forEach((rawLine, index) => {
    const line = stripComment(rawLine).trim();
    if (!line) return;
    if (!current) {
      const start = BLOCK_START.exec(line);
      if (!start) throw new Error(`schema.prisma:${index + 1}: unexpected top-level line "${line}"`);
      current = { kind: start[1]!, name: start[2]!, lines: [], startLine: index + 1 };
    } else if (line === '}') {
      blocks.push(current);
      current = undefined;
    } else {
      current.lines.push(line);
    }
  });
  if (current) throw new Error(`schema.prisma: block ${current.name} (line ${current.startLine}) is never closed`);
  return blocks;
}

function blockMap(lines: string[]): string | undefined {
  const line = lines.find((l) => l.startsWith('@@map('));
  return line ? /^@@map\("([^"]+)"\)$/.exec(line)?.[1] : undefined;
}

function parseEnum(block: RawBlock): PrismaEnum {
  const values = block.lines.filter((l) => !l.startsWith('@@')).map((l) => {
    if (!/^\w+$/.test(l)) throw new Error(`enum ${block.name}: cannot read value "${l}" (@map on values is not supported)`);
    return l;
  });
  return { name: block.name, dbName: blockMap(block.lines) ?? block.name, values };
}

function parseModel(block: RawBlock, modelNames: Set<string>, enumNames: Set<string>): PrismaModel {
  const fields = block.lines
    .filter((l) => !l.startsWith('@@'))
    .map((line): PrismaField => {
      const m = FIELD.exec(line);
      if (!m) throw new Error(`model ${block.name}: cannot read field line "${line}"`);
      const [, name, rawType, unsupported, list, optional, attributes = ''] = m;
      const kind = unsupported
        ? 'unsupported'
        : modelNames.has(rawType!)
          ? 'relation'
          : enumNames.has(rawType!)
            ? 'enum'
            : SCALARS.has(rawType!)
              ? 'scalar'
              : undefined;
      if (!kind) throw new Error(`model ${block.name}.${name}: unknown type ${rawType}`);
      const native = NATIVE.exec(attributes);
      return {
        name: name!,
        type: unsupported ?? rawType!,
        kind,
        optional: Boolean(optional),
        list: Boolean(list),
        column: MAP.exec(attributes)?.[1] ?? name!,
        nativeType: native
          ? { name: native[1]!, args: native[2] ? native[2].split(',').map((a) => a.trim()) : [] }
          : undefined,
      };
    });
  return { name: block.name, table: blockMap(block.lines) ?? block.name, fields };
}

export function parsePrismaSchema(source: string): PrismaSchema {
  const blocks = splitBlocks(source);
  const modelNames = new Set(blocks.filter((b) => b.kind === 'model').map((b) => b.name));
  const enumNames = new Set(blocks.filter((b) => b.kind === 'enum').map((b) => b.name));
  return {
    enums: blocks.filter((b) => b.kind === 'enum').map(parseEnum),
    models: blocks.filter((b) => b.kind === 'model').map((b) => parseModel(b, modelNames, enumNames)),
  };
}

/** Columns a model stores: everything but relation fields. */
export function columnFields(model: PrismaModel): PrismaField[] {
  return model.fields.filter((f) => f.kind !== 'relation');
}

const NATIVE_SQL: Record<string, (args: string[]) => string> = {
  Uuid: () => 'uuid',
  Text: () => 'text',
  VarChar: (a) => (a[0] ? `character varying(${a[0]})` : 'character varying'),
  Char: (a) => `character(${a[0] ?? 1})`,
  Citext: () => 'citext',
  Inet: () => 'inet',
  Xml: () => 'xml',
  Boolean: () => 'boolean',
  SmallInt: () => 'smallint',
  Integer: () => 'integer',
  BigInt: () => 'bigint',
  Oid: () => 'oid',
  Real: () => 'real',
  DoublePrecision: () => 'double precision',
  Decimal: (a) => (a.length ? `numeric(${a.join(',')})` : 'numeric'),
  Money: () => 'money',
  Timestamptz: (a) => (a[0] ? `timestamp(${a[0]}) with time zone` : 'timestamp with time zone'),
  Timestamp: (a) => (a[0] ? `timestamp(${a[0]}) without time zone` : 'timestamp without time zone'),
  Date: () => 'date',
  Time: (a) => (a[0] ? `time(${a[0]}) without time zone` : 'time without time zone'),
  Timetz: (a) => (a[0] ? `time(${a[0]}) with time zone` : 'time with time zone'),
  Json: () => 'json',
  JsonB: () => 'jsonb',
  ByteA: () => 'bytea',
};

/** What Prisma's PostgreSQL connector maps a scalar to when no @db attribute is given. */
const DEFAULT_SQL: Record<string, string> = {
  String: 'text',
  Boolean: 'boolean',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

/**
 * The column type as PostgreSQL's format_type() prints it, e.g.
 * 'timestamp(6) with time zone', 'workspace_role', 'vector(1536)', 'text[]'.
 */
export function expectedSqlType(field: PrismaField, schema: PrismaSchema): string {
  let base: string;
  if (field.kind === 'unsupported') base = field.type.replace(/\s+/g, '');
  else if (field.kind === 'enum') base = schema.enums.find((e) => e.name === field.type)!.dbName;
  else if (field.nativeType) {
    const toSql = NATIVE_SQL[field.nativeType.name];
    if (!toSql) throw new Error(`prisma-schema.ts does not know @db.${field.nativeType.name}; add it to NATIVE_SQL`);
    base = toSql(field.nativeType.args);
  } else base = DEFAULT_SQL[field.type]!;
  return field.list ? `${base}[]` : base;
}
