'use client';
// A budget's burn-down (recharts): cumulative settled spend per day this month
// against the monthly limit line. Figures come from the server.
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

const usd = (v: number) => `$${v < 0.01 && v > 0 ? v.toFixed(6) : v.toFixed(4)}`;

export function BudgetBurnDown({ name, days, limitUsd }: { name: string; days: { day: string; spentUsd: number }[]; limitUsd: number }) {
  const data = days.map((d) => ({ day: d.day.slice(5), spentUsd: d.spentUsd }));
  const top = Math.max(limitUsd, ...days.map((d) => d.spentUsd)) * 1.1;
  return (
    <figure aria-label={`Burn-down of ${name}`} data-testid="budget-burn-down">
      <figcaption className="mb-2 text-sm font-medium text-slate-700">Spend this month against the limit (USD)</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={{ right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" fontSize={11} />
          <YAxis fontSize={11} width={80} tickFormatter={usd} domain={[0, top]} />
          <Tooltip formatter={(v) => usd(Number(v))} />
          <ReferenceLine y={limitUsd} stroke="#dc2626" strokeDasharray="6 3" label={{ value: `Limit ${usd(limitUsd)}`, fontSize: 11, fill: '#b91c1c', position: 'insideTopLeft' }} />
          <Line type="monotone" dataKey="spentUsd" name="Spent" stroke="#4f46e5" strokeWidth={2} dot={data.length < 2} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
