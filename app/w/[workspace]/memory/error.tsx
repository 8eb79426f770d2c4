'use client';
// The memory page could not load; the workspace shell stays.
import { SectionError } from '@/components/agents/section-error';

export default function MemoryError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError what="the memory browser" digest={error.digest} reset={reset} />;
}
