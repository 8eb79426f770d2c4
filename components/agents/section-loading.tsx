// The loading state of an agents, prompts or tools page: a title bar and panels pulsing.
export function SectionLoading({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite" className="space-y-4">
      <span className="sr-only">{label}</span>
      <div aria-hidden className="h-8 w-48 animate-pulse rounded bg-slate-200" />
      <div aria-hidden className="h-24 animate-pulse rounded-lg bg-slate-100" />
      <div aria-hidden className="h-48 animate-pulse rounded-lg bg-slate-100" />
    </div>
  );
}
