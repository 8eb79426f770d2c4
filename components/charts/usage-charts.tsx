'use client';
// Usage charts (recharts): tokens and cost per day over the chosen period, and
// cost per model and per agent. Figures come from the server; nothing is fetched here.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

type Figures = { inputTokens: number; outputTokens: number; costUsd: number; calls: number };

const usd = (v: number) => `$${v < 0.01 && v > 0 ? v.toFixed(6) : v.toFixed(4)}`;

export function DailyUsageCharts({ days }: { days: (Figures & { day: string })[] }) {
  const data = days.map((d) => ({ ...d, day: d.day.slice(5) }));
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <figure aria-label="Tokens per day">
        <figcaption className="mb-2 text-sm font-medium text-slate-700">Tokens per day</figcaption>
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={data}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" fontSize={11} />
            <YAxis fontSize={11} width={60} />
            <Tooltip />
            <Legend />
            <Bar dataKey="inputTokens" name="Input tokens" stackId="t" fill="#6366f1" />
            <Bar dataKey="outputTokens" name="Output tokens" stackId="t" fill="#22c55e" />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure aria-label="Cost per day">
        <figcaption className="mb-2 text-sm font-medium text-slate-700">Cost per day (USD)</figcaption>
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={data}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" fontSize={11} />
            <YAxis fontSize={11} width={70} tickFormatter={usd} />
            <Tooltip formatter={(v) => usd(Number(v))} />
            <Bar dataKey="costUsd" name="Cost" fill="#f59e0b" />
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}

export function CostByChart({ rows, label }: { rows: (Figures & { name: string })[]; label: string }) {
  return (
    <figure aria-label={label}>
      <figcaption className="mb-2 text-sm font-medium text-slate-700">{label}</figcaption>
      <ResponsiveContainer width="100%" height={Math.max(120, rows.length * 36)}>
        <BarChart data={rows} layout="vertical" margin={{ left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" fontSize={11} tickFormatter={usd} />
          <YAxis type="category" dataKey="name" fontSize={11} width={160} />
          <Tooltip formatter={(v) => usd(Number(v))} />
          <Bar dataKey="costUsd" name="Cost" fill="#f59e0b" />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
