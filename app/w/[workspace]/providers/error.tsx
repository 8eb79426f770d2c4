'use client';
// The providers page could not load; the workspace shell stays.
import { SectionError } from '@/components/agents/section-error';

export default function ProvidersError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError what="the model providers" digest={error.digest} reset={reset} />;
}
