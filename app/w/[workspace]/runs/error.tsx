'use client';
// The runs section could not load; the workspace shell stays.
import { SectionError } from '@/components/agents/section-error';

export default function RunsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError what="the runs" digest={error.digest} reset={reset} />;
}
