'use client';
// The usage charts could not load; the workspace shell stays.
import { SectionError } from '@/components/agents/section-error';

export default function LimitsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError what="the limits" digest={error.digest} reset={reset} />;
}
