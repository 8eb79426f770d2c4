'use client';
// The tools page could not load; the workspace shell stays.
import { SectionError } from '@/components/agents/section-error';

export default function ToolsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError what="the tools" digest={error.digest} reset={reset} />;
}
