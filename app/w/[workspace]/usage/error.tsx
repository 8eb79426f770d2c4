'use client';
// The usage charts could not load; the workspace shell stays.
import { SectionError } from '@/components/agents/section-error';

export default function UsageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError what="the usage figures" digest={error.digest} reset={reset} />;
}
