// JSON-schema checks for tools: a tool's parameter schema is checked once when the
// tool is defined (valid, an object schema, safe to run on untrusted input), and a
// call's arguments are checked against it before anything is executed.
import Ajv, { type ValidateFunction } from 'ajv';
import secureMetaSchema from 'ajv/dist/refs/json-schema-secure.json';
import { InvalidInput } from '../../domain-errors';

/** A JSON schema, as OpenAI `tools[].function.parameters` takes it. */
export type JsonSchema = { [key: string]: unknown };

/** Largest arguments string a model may send for one call. */
export const MAX_ARGUMENTS_BYTES = 64 * 1024;
const MAX_SCHEMA_BYTES = 32 * 1024;

// useDefaults fills declared defaults; no coercion: "1" is not 1.
const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, allowUnionTypes: true, validateSchema: true });
const isSecureSchema = ajv.compile(secureMetaSchema);

/** Compiles a tool's parameter schema, or throws InvalidInput saying what is wrong with it. */
export function compileParameterSchema(schema: JsonSchema): ValidateFunction {
  if (JSON.stringify(schema).length > MAX_SCHEMA_BYTES) {
    throw new InvalidInput(`The parameters schema is larger than ${MAX_SCHEMA_BYTES} bytes.`, 'parameters');
  }
  if (schema.type !== 'object') {
    throw new InvalidInput('The parameters schema must describe an object ("type": "object").', 'parameters');
  }
  if (!ajv.validateSchema(schema)) {
    throw new InvalidInput(`The parameters schema is not a valid JSON schema: ${ajv.errorsText(ajv.errors)}.`, 'parameters');
  }
  if (!isSecureSchema(schema)) {
    const reasons = (isSecureSchema.errors ?? []).map((e) => `${e.instancePath || 'schema'} ${e.message}`);
    throw new InvalidInput(`The parameters schema is unsafe for untrusted input (${reasons.join('; ')}).`, 'parameters');
  }
  try {
    return ajv.compile(schema);
  } catch (error) {
    throw new InvalidInput(`The parameters schema cannot be used: ${(error as Error).message}.`, 'parameters');
  }
}

/**
 * Parses a call's arguments (the JSON string a model sends, or an object) and checks
 * them against the tool's schema. The message lists what is wrong, never the values.
 */
export function validatedArguments<T>(toolName: string, validate: ValidateFunction, raw: unknown): T {
  let args: unknown = raw;
  if (typeof raw === 'string') {
    if (Buffer.byteLength(raw) > MAX_ARGUMENTS_BYTES) {
      throw new InvalidInput(`The arguments for ${toolName} are larger than ${MAX_ARGUMENTS_BYTES} bytes.`, 'arguments');
    }
    try {
      args = raw.trim() === '' ? {} : JSON.parse(raw);
    } catch {
      throw new InvalidInput(`The arguments for ${toolName} are not valid JSON.`, 'arguments');
    }
  }
  // Validation mutates (defaults), so it works on a copy the caller does not hold.
  const copy: unknown = args === undefined ? {} : structuredClone(args);
  if (!validate(copy)) {
    const problems = (validate.errors ?? []).slice(0, 5).map((e) => {
      const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'arguments';
      const extra = e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
      return `${where} ${e.message}${extra}`;
    });
    throw new InvalidInput(`Invalid arguments for ${toolName}: ${problems.join('; ')}.`, 'arguments');
  }
  return copy as T;
}
