'use client';
// The secrets page could not load; the workspace shell stays.
import { SectionError } from '@/components/agents/section-error';

export default function SecretsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError what="the secrets" digest={error.digest} reset={reset} />;
}
