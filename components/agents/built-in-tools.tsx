// The built-in tools every workspace has, with the JSON schema of their parameters.
export function BuiltInTools({ tools }: { tools: { name: string; description: string; parameters: Record<string, unknown> }[] }) {
  return (
    <ul className="-mx-5 divide-y divide-slate-100 sm:-mx-6" aria-label="Built-in tools">
      {tools.map((t) => (
        <li key={t.name} className="space-y-1 px-5 py-4 sm:px-6">
          <p className="font-mono text-sm font-medium text-slate-900">{t.name}</p>
          <p className="text-sm text-slate-600">{t.description}</p>
          <details className="text-xs">
            <summary className="min-h-10 cursor-pointer py-2 text-slate-600 sm:min-h-0 sm:py-0">Parameters</summary>
            <pre tabIndex={0} role="region" aria-label={`Parameters of ${t.name}`} className="mt-1 overflow-x-auto rounded bg-slate-50 p-2 font-mono text-slate-800 ring-1 ring-slate-200">{JSON.stringify(t.parameters, null, 2)}</pre>
          </details>
        </li>
      ))}
    </ul>
  );
}
