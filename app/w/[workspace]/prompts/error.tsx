'use client';
// The prompt library could not load; the workspace shell stays.
import { SectionError } from '@/components/agents/section-error';

export default function PromptsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError what="the prompt library" digest={error.digest} reset={reset} />;
}
