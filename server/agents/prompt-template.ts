// System prompt templates: {{variable}} placeholders and {{> snippet-name}} includes
// from the workspace prompt library. Parsing refuses unbalanced or malformed braces;
// includes are resolved recursively with loop and depth guards, so rendering always ends.
import { InvalidInput } from '../domain-errors';

export const VARIABLE_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/;
export const SNIPPET_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const SNIPPET_NAME_RULE = 'Use 1–64 lowercase letters, digits, dashes or underscores, starting with a letter or digit';
const MAX_INCLUDE_DEPTH = 8;
export const MAX_PROMPT_CHARS = 32_000;
/** Cap on a rendered prompt, so a snippet included many times cannot blow up. */
export const MAX_RENDERED_CHARS = 200_000;

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'variable'; name: string }
  | { kind: 'include'; name: string };

export type DeclaredVariable = { name: string; default: string | null; description: string };
export type SnippetBodies = ReadonlyMap<string, string>;

/** Splits a template into text, variables and includes; throws InvalidInput on bad braces. */
export function parseTemplate(template: string, field = 'systemPrompt', where = 'The prompt'): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf('{{', at);
    const strayClose = template.indexOf('}}', at);
    if (strayClose !== -1 && (open === -1 || strayClose < open)) {
      throw new InvalidInput(`${where} has "}}" without a matching "{{" (line ${lineOf(template, strayClose)}).`, field);
    }
    if (open === -1) {
      parts.push({ kind: 'text', text: template.slice(at) });
      break;
    }
    if (open > at) parts.push({ kind: 'text', text: template.slice(at, open) });
    const close = template.indexOf('}}', open + 2);
    if (close === -1) throw new InvalidInput(`${where} has "{{" without a matching "}}" (line ${lineOf(template, open)}).`, field);
    const inner = template.slice(open + 2, close);
    if (inner.includes('{{')) throw new InvalidInput(`${where} has "{{" without a matching "}}" (line ${lineOf(template, open)}).`, field);
    parts.push(tagOf(inner.trim(), field, where, lineOf(template, open)));
    at = close + 2;
  }
  return parts;
}

function tagOf(inner: string, field: string, where: string, line: number): TemplatePart {
  if (inner.startsWith('>')) {
    const name = inner.slice(1).trim();
    if (!SNIPPET_NAME.test(name)) throw new InvalidInput(`${where} includes "{{> ${name}}}" (line ${line}), which is not a snippet name.`, field);
    return { kind: 'include', name };
  }
  if (!VARIABLE_NAME.test(inner)) {
    throw new InvalidInput(`${where} has "{{${inner}}}" (line ${line}): use {{variable_name}} or {{> snippet-name}}.`, field);
  }
  return { kind: 'variable', name: inner };
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/**
 * The template with every include resolved, as parts. Throws InvalidInput for an
 * include of an unknown snippet, an include loop or nesting deeper than 8.
 */
export function expandTemplate(template: string, snippets: SnippetBodies, field = 'systemPrompt', where = 'The prompt'): TemplatePart[] {
  const expand = (source: string, chain: string[], label: string): TemplatePart[] => {
    const out: TemplatePart[] = [];
    for (const part of parseTemplate(source, field, label)) {
      if (part.kind !== 'include') {
        out.push(part);
        continue;
      }
      if (chain.includes(part.name)) {
        throw new InvalidInput(`The snippet includes loop: ${[...chain, part.name].map((n) => `{{> ${n}}}`).join(' → ')}.`, field);
      }
      if (chain.length >= MAX_INCLUDE_DEPTH) throw new InvalidInput(`Snippets are nested more than ${MAX_INCLUDE_DEPTH} deep.`, field);
      const body = snippets.get(part.name);
      if (body === undefined) throw new InvalidInput(`The prompt library has no snippet named "${part.name}".`, field);
      out.push(...expand(body, [...chain, part.name], `The snippet "${part.name}"`));
    }
    return out;
  };
  return expand(template, [], where);
}

/** Names of snippets a template includes directly. */
export function includedSnippets(template: string): string[] {
  try {
    return [...new Set(parseTemplate(template).flatMap((p) => (p.kind === 'include' ? [p.name] : [])))];
  } catch {
    return [];
  }
}

/** Variables used by the template and the snippets it includes, in order of first use. */
export function usedVariables(template: string, snippets: SnippetBodies): string[] {
  return [...new Set(expandTemplate(template, snippets).flatMap((p) => (p.kind === 'variable' ? [p.name] : [])))];
}

export type RenderedPrompt = {
  text: string;
  /** Variables with neither a value nor a default; rendered as empty text. */
  missingVariables: string[];
};

/**
 * Renders a version's system prompt: includes resolved from `snippets`, each
 * variable from `variables`, else its declared default; the ones with neither
 * are reported in `missingVariables`.
 */
export function renderSystemPrompt(
  version: { systemPrompt: string; variables: readonly DeclaredVariable[] },
  variables: Readonly<Record<string, string>>,
  snippets: SnippetBodies,
): RenderedPrompt {
  const defaults = new Map(version.variables.map((v) => [v.name, v.default]));
  const missing = new Set<string>();
  let text = '';
  for (const part of expandTemplate(version.systemPrompt, snippets)) {
    if (part.kind === 'text') text += part.text;
    else if (part.kind === 'variable') {
      const value = Object.hasOwn(variables, part.name) ? variables[part.name] : defaults.get(part.name);
      if (value === undefined || value === null) missing.add(part.name);
      else text += value;
    }
    if (text.length > MAX_RENDERED_CHARS) throw new InvalidInput(`The rendered prompt is longer than ${MAX_RENDERED_CHARS} characters.`, 'systemPrompt');
  }
  return { text, missingVariables: [...missing] };
}
