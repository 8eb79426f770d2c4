// What changed between two policy versions, field by field, in words an admin
// reads on the history list ("pii.actions.email: allow → redact").
import type { PolicyDocument } from './policy-document';

export type PolicyChange = { field: string; before: string; after: string };

export function policyChanges(before: PolicyDocument, after: PolicyDocument): PolicyChange[] {
  const left = flatten(before);
  const right = flatten(after);
  const fields = [...new Set([...left.keys(), ...right.keys()])].sort();
  return fields.flatMap((field) => {
    const was = left.get(field) ?? '—';
    const now = right.get(field) ?? '—';
    return was === now ? [] : [{ field, before: was, after: now }];
  });
}

/** Scalars and lists by dotted path; content rules are listed as one readable line each. */
function flatten(document: PolicyDocument): Map<string, string> {
  const out = new Map<string, string>();
  for (const [type, action] of Object.entries(document.pii.actions)) out.set(`pii.actions.${type}`, action);
  out.set('pii.reversible', String(document.pii.reversible));
  out.set(
    'content.rules',
    document.content.rules.map((r) => `${r.name ? `${r.name}: ` : ''}${r.kind} ${JSON.stringify(r.value)} (${r.appliesTo})`).join('; ') || 'none',
  );
  for (const [list, entries] of Object.entries(document.allowLists)) out.set(`allowLists.${list}`, entries === null ? 'any' : entries.join(', ') || 'none');
  out.set('approvals.costAboveUsd', document.approvals.costAboveUsd === null ? 'never' : String(document.approvals.costAboveUsd));
  out.set('approvals.tools', document.approvals.tools.join(', ') || 'none');
  out.set('approvals.expiresAfterMinutes', String(document.approvals.expiresAfterMinutes));
  return out;
}
