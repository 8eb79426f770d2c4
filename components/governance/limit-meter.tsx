// One limit as a labelled meter: what is used of it now, the limit, and the share.
const MB = 1024 * 1024;

function amount(value: number, unit: 'count' | 'bytes'): string {
  if (unit === 'count') return value.toLocaleString('en-US');
  if (value >= 1024 * MB) return `${(value / (1024 * MB)).toFixed(1)} GB`;
  if (value >= MB) return `${(value / MB).toFixed(1)} MB`;
  return `${Math.ceil(value / 1024).toLocaleString('en-US')} KB`;
}

export function LimitMeter({ label, used, limit, unit }: { label: string; used: number; limit: number; unit: 'count' | 'bytes' }) {
  const share = limit > 0 ? Math.min(1, used / limit) : 0;
  const tone = share >= 1 ? 'bg-red-600' : share >= 0.8 ? 'bg-amber-500' : 'bg-accent-600';
  return (
    <div className="space-y-1" data-testid="limit-meter">
      <div className="flex items-baseline justify-between gap-3 text-sm">
        <span className="font-medium text-slate-900">{label}</span>
        <span className="font-mono text-slate-700">
          {amount(used, unit)} <span className="text-slate-500">of {amount(limit, unit)}</span>
        </span>
      </div>
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={Math.min(used, limit)}
        aria-valuetext={`${amount(used, unit)} of ${amount(limit, unit)}`}
        className="h-2 overflow-hidden rounded-full bg-slate-100"
      >
        <div className={`h-full ${tone}`} style={{ width: `${(share * 100).toFixed(1)}%` }} />
      </div>
    </div>
  );
}
