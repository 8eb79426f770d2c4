// Shown while the limits load.
export default function LimitsLoading() {
  return (
    <div role="status" aria-live="polite" className="space-y-4">
      <span className="sr-only">Loading limits…</span>
      <div aria-hidden className="h-8 w-40 animate-pulse rounded bg-slate-200" />
      <div aria-hidden className="h-32 animate-pulse rounded-lg bg-slate-100" />
    </div>
  );
}
