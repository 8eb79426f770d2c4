// A workspace's content rules: blocked terms (case-insensitive, whole words where
// the term starts or ends with a letter or digit) and regex patterns. Patterns are
// checked when the policy is saved and must stay in a safe subset (no nested or
// alternated repetition, no backreferences or lookaround, bounded length and
// quantifier count) so that matching cannot backtrack catastrophically.
import type { PolicyDocument } from './policy-document';

export type ContentRule = PolicyDocument['content']['rules'][number];
export type ContentDirection = 'input' | 'output';

export const MAX_PATTERN_LENGTH = 200;
const MAX_UNBOUNDED_QUANTIFIERS = 4;
const MAX_COUNTED_REPEAT = 100;

/** Why a pattern is refused, in words for the admin who wrote it; null when it is safe. */
export function unsafePatternReason(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `A pattern is at most ${MAX_PATTERN_LENGTH} characters.`;
  try {
    new RegExp(pattern, 'iu');
  } catch (error) {
    return `This is not a valid regular expression (${error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : 'syntax error'}).`;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'Backreferences are not allowed in patterns.';
  if (/\(\?<?[=!]/.test(pattern)) return 'Lookahead and lookbehind are not allowed in patterns.';
  return repetitionProblem(pattern);
}

/**
 * Walks the pattern's groups: a repeated group may hold neither a quantifier nor an
 * alternation (the shapes behind exponential backtracking, e.g. (a+)+ or (a|aa)*),
 * and the pattern may have only a few unbounded quantifiers.
 */
function repetitionProblem(pattern: string): string | null {
  type Group = { quantified: boolean; alternation: boolean };
  const groups: Group[] = [{ quantified: false, alternation: false }];
  const stack: number[] = [];
  let unbounded = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '\\') {
      i += 1;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      continue;
    }
    if (char === '[') {
      inClass = true;
      continue;
    }
    if (char === '(') {
      stack.push(groups.length);
      groups.push({ quantified: false, alternation: false });
      continue;
    }
    const innermost = groups[stack.at(-1) ?? 0]!;
    if (char === '|') {
      innermost.alternation = true;
      continue;
    }
    if (char === ')') {
      const closed = groups[stack.pop() ?? 0]!;
      const quantifier = quantifierAt(pattern, i + 1);
      if (quantifier && quantifier.repeats && (closed.quantified || closed.alternation)) {
        return 'A repeated group may not contain another repetition or an alternation (such patterns can take forever to match).';
      }
      if (quantifier?.unbounded) unbounded += 1;
      if (quantifier && quantifier.max > MAX_COUNTED_REPEAT && !quantifier.unbounded) return `Counted repetitions go up to ${MAX_COUNTED_REPEAT}.`;
      // A quantified group counts as a quantifier inside its parent.
      const parent = groups[stack.at(-1) ?? 0]!;
      if (closed.quantified || quantifier?.variable) parent.quantified = true;
      continue;
    }
    const quantifier = quantifierAt(pattern, i);
    if (quantifier) {
      // An exact count ({3}) matches one way only; anything that can vary makes the group ambiguous.
      if (quantifier.variable) innermost.quantified = true;
      if (quantifier.unbounded) unbounded += 1;
      if (quantifier.max > MAX_COUNTED_REPEAT && !quantifier.unbounded) return `Counted repetitions go up to ${MAX_COUNTED_REPEAT}.`;
      i += quantifier.length - 1;
    }
  }
  if (unbounded > MAX_UNBOUNDED_QUANTIFIERS) return `A pattern may use at most ${MAX_UNBOUNDED_QUANTIFIERS} open-ended repetitions (*, + or {n,}).`;
  return null;
}

type Quantifier = { length: number; repeats: boolean; variable: boolean; unbounded: boolean; max: number };

function quantifierAt(pattern: string, at: number): Quantifier | null {
  const char = pattern[at];
  const lazy = (length: number) => (pattern[at + length] === '?' ? length + 1 : length);
  if (char === '*' || char === '+') return { length: lazy(1), repeats: true, variable: true, unbounded: true, max: Infinity };
  if (char === '?') return { length: lazy(1), repeats: false, variable: true, unbounded: false, max: 1 };
  if (char === '{') {
    const counted = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at));
    if (!counted) return null;
    const min = Number(counted[1]);
    const max = counted[2] === undefined ? min : counted[3] ? Number(counted[3]) : Infinity;
    return { length: lazy(counted[0].length), repeats: max > 1, variable: max !== min, unbounded: max === Infinity, max };
  }
  return null;
}

export type CompiledRule = { rule: ContentRule; index: number; regex: RegExp };

/** The rules ready to match; a rule that is not safe (possible only in hand-edited data) never matches. */
export function compileContentRules(rules: readonly ContentRule[]): CompiledRule[] {
  return rules.flatMap((rule, index) => {
    if (rule.kind === 'pattern') return unsafePatternReason(rule.value) ? [] : [{ rule, index, regex: new RegExp(rule.value, 'iu') }];
    const escaped = rule.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const start = /^[\p{L}\p{N}]/u.test(rule.value) ? '(?<![\\p{L}\\p{N}])' : '';
    const end = /[\p{L}\p{N}]$/u.test(rule.value) ? '(?![\\p{L}\\p{N}])' : '';
    return [{ rule, index, regex: new RegExp(`${start}${escaped}${end}`, 'iu') }];
  });
}

/** The first rule the text breaks in this direction, or null. */
export function brokenRule(compiled: readonly CompiledRule[], text: string, direction: ContentDirection): CompiledRule | null {
  for (const candidate of compiled) {
    if (candidate.rule.appliesTo !== 'both' && candidate.rule.appliesTo !== direction) continue;
    if (candidate.regex.test(text)) return candidate;
  }
  return null;
}

/** How a rule is named to users: its name, or what it blocks. */
export function ruleLabel(rule: ContentRule, index: number): string {
  if (rule.name) return `"${rule.name}"`;
  return rule.kind === 'term' ? `#${index + 1} (blocked term "${rule.value}")` : `#${index + 1} (pattern /${rule.value}/)`;
}
