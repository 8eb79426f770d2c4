// The figures behind a usage chart as a table, so they can be read exactly (and
// by a screen reader): one row per model or agent with calls, tokens and cost.
export type UsageTableRow = { key: string; name: string; calls: number; inputTokens: number; outputTokens: number; costUsd: number };

/** Dollars with enough places that a fraction of a cent does not round to zero. */
export const formatUsd = (v: number) => `$${v.toFixed(v > 0 && v < 0.01 ? 6 : 4)}`;

export function UsageTable({ caption, nameHeader, rows, testId, monospace = false }: { caption: string; nameHeader: string; rows: UsageTableRow[]; testId: string; monospace?: boolean }) {
  return (
    <table className="mt-3 w-full text-left text-sm" data-testid={testId}>
      <caption className="sr-only">{caption}</caption>
      <thead className="text-xs text-slate-500">
        <tr>
          <th scope="col" className="py-1">{nameHeader}</th>
          <th scope="col">Calls</th>
          <th scope="col">Tokens in / out</th>
          <th scope="col">Cost</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} className="border-t border-slate-100">
            <td className={monospace ? 'py-1 font-mono text-xs' : 'py-1'}>{row.name}</td>
            <td>{row.calls}</td>
            <td>
              {row.inputTokens} / {row.outputTokens}
            </td>
            <td>{formatUsd(row.costUsd)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
