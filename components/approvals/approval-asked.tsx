// What a step asked an admin for, as the inbox and the run page show it: the tool
// and its arguments, or the model and its worst-case cost, and the rule that asked.
import type { ReactNode } from 'react';

export type AskedApproval = {
  kind: 'tool' | 'model';
  toolName: string | null;
  toolArgs: unknown;
  model: string | null;
  estimatedCostUsd: number | null;
  rule: string;
  stepIndex: number;
};

export function ApprovalAsked({ approval }: { approval: AskedApproval }): ReactNode {
  return (
    <div className="space-y-1">
      <p className="text-sm text-slate-900">
        {approval.kind === 'tool' ? (
          <>
            Step {approval.stepIndex + 1}: call the tool <span className="font-mono">{approval.toolName}</span>
          </>
        ) : (
          <>
            Step {approval.stepIndex + 1}: a model call to <span className="font-mono">{approval.model}</span>, up to{' '}
            <span className="font-mono">${(approval.estimatedCostUsd ?? 0).toFixed(6)}</span>
          </>
        )}
      </p>
      {approval.kind === 'tool' && (
        <pre className="max-h-40 overflow-auto rounded-md bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap text-slate-800" aria-label="Arguments">
          {JSON.stringify(approval.toolArgs ?? null, null, 2)}
        </pre>
      )}
      <p className="text-xs text-slate-500">{approval.rule}</p>
    </div>
  );
}
