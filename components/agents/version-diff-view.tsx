// What changed between two versions: the settings that differ, then the system
// prompt line by line (removed lines red with "-", added green with "+").
import { EmptyState } from '../ui/empty-state';

type DiffLine = { op: 'same' | 'added' | 'removed'; text: string; oldLine: number | null; newLine: number | null };
type FieldChange = { field: string; label: string; from: string; to: string };

const lineStyle = { same: 'text-slate-600', added: 'bg-emerald-50 text-emerald-900', removed: 'bg-red-50 text-red-900' } as const;
const marker = { same: ' ', added: '+', removed: '-' } as const;

export function VersionDiffView({ diff }: { diff: { from: number; to: number; prompt: DiffLine[]; fields: FieldChange[] } }) {
  const promptChanged = diff.prompt.some((l) => l.op !== 'same');
  if (!promptChanged && diff.fields.length === 0) {
    return <EmptyState title={`v${diff.from} and v${diff.to} are the same`}>Every setting and the prompt match.</EmptyState>;
  }
  return (
    <div className="space-y-4" aria-label={`Changes from v${diff.from} to v${diff.to}`}>
      {diff.fields.length > 0 && (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Changed settings</caption>
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-1 pr-4 font-medium">Setting</th>
              <th scope="col" className="py-1 pr-4 font-medium">v{diff.from}</th>
              <th scope="col" className="py-1 font-medium">v{diff.to}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {diff.fields.map((f) => (
              <tr key={f.field}>
                <th scope="row" className="py-2 pr-4 align-top font-medium text-slate-700">{f.label}</th>
                <td className="whitespace-pre-wrap py-2 pr-4 align-top font-mono text-xs text-red-800">{f.from}</td>
                <td className="whitespace-pre-wrap py-2 align-top font-mono text-xs text-emerald-800">{f.to}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div>
        <h3 className="mb-1 text-sm font-medium text-slate-700">System prompt{promptChanged ? '' : ' (unchanged)'}</h3>
        <pre tabIndex={0} className="overflow-x-auto rounded-md bg-slate-50 py-2 text-xs ring-1 ring-slate-200" aria-label="Prompt diff">
          {diff.prompt.map((l, i) => (
            <div key={i} className={`flex px-3 ${lineStyle[l.op]}`} data-op={l.op}>
              <span aria-hidden className="w-8 shrink-0 select-none text-right text-slate-400">{l.oldLine ?? ''}</span>
              <span aria-hidden className="w-8 shrink-0 select-none text-right text-slate-400">{l.newLine ?? ''}</span>
              <span className="w-5 shrink-0 select-none pl-2">{marker[l.op]}</span>
              <span className="whitespace-pre-wrap">{l.text || ' '}</span>
            </div>
          ))}
        </pre>
      </div>
    </div>
  );
}
