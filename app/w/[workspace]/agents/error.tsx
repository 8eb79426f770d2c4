'use client';
// The agents section could not load; the workspace shell stays.
import { SectionError } from '@/components/agents/section-error';

export default function AgentsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError what="the agents" digest={error.digest} reset={reset} />;
}
