// The knowledge passages a run's answer drew on: every passage its knowledge_search
// steps (automatic or called by the model) returned, numbered as the model saw
// them, with the document, the section and the passage itself.
import type { RunStepEvent } from './run-events';

type Passage = { citation: number; document: string; section: string; text: string; chunkId: string };

const PREVIEW_CHARS = 600;

function passagesOf(steps: readonly RunStepEvent[]): Passage[] {
  return steps
    .filter((s) => s.kind === 'tool' && s.toolName === 'knowledge_search' && s.status === 'ok')
    .flatMap((s) => ((s.toolResult as { passages?: Passage[] } | null)?.passages ?? []));
}

export function RunCitations({ steps }: { steps: readonly RunStepEvent[] }) {
  const passages = passagesOf(steps);
  if (!passages.length) return null;
  return (
    <section aria-label="Sources" className="space-y-2" data-testid="run-citations">
      <h3 className="text-sm font-semibold text-slate-900">Sources</h3>
      <ol className="space-y-2">
        {passages.map((p, i) => (
          <li key={`${p.chunkId}-${i}`} className="rounded-md border border-slate-200 p-2 text-sm" data-testid="run-citation">
            <p className="font-medium text-slate-900">
              [{p.citation}] {p.document}
              {p.section && <span className="font-normal text-slate-600"> › {p.section}</span>}
            </p>
            <blockquote className="mt-1 whitespace-pre-wrap text-slate-700">
              {p.text.length > PREVIEW_CHARS ? `${p.text.slice(0, PREVIEW_CHARS)}…` : p.text}
            </blockquote>
          </li>
        ))}
      </ol>
    </section>
  );
}
