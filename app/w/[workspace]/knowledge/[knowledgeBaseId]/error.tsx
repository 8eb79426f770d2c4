'use client';
// The knowledge page could not load; the workspace shell stays.
import { SectionError } from '@/components/agents/section-error';

export default function KnowledgeError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError what="the knowledge bases" digest={error.digest} reset={reset} />;
}
