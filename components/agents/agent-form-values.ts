// Converts between an agent version and the editor's text fields: variables as
// "name = default" lines (a bare name has no default), the structured-output schema
// as JSON text. Parse problems come back per field.

export type DeclaredVariable = { name: string; default: string | null; description: string };

export type EditableVersion = {
  systemPrompt: string;
  variables: DeclaredVariable[];
  model: string;
  temperature: number;
  maxSteps: number;
  maxRunSeconds: number;
  tools: string[];
  memoryEnabled: boolean;
  knowledgeBaseIds: string[];
  knowledgeMode: 'automatic' | 'tool';
  outputSchema: Record<string, unknown> | null;
  cacheEnabled: boolean;
  cacheTtlSeconds: number;
  cacheSimilarityThreshold: number | null;
};

export function variablesText(variables: readonly DeclaredVariable[]): string {
  return variables.map((v) => (v.default === null ? v.name : `${v.name} = ${v.default}`)).join('\n');
}

export function parseVariables(text: string): { value?: DeclaredVariable[]; error?: string } {
  const value: DeclaredVariable[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const eq = line.indexOf('=');
    const name = (eq === -1 ? line : line.slice(0, eq)).trim();
    if (!/^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/.test(name)) return { error: `Line ${index + 1}: "${name}" is not a variable name` };
    value.push({ name, default: eq === -1 ? null : line.slice(eq + 1).trim(), description: '' });
  }
  return { value };
}

export function parseOutputSchema(text: string): { value?: Record<string, unknown> | null; error?: string } {
  if (text.trim() === '') return { value: null };
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { error: 'Enter a JSON object' };
    return { value: parsed as Record<string, unknown> };
  } catch {
    return { error: 'This is not valid JSON' };
  }
}
