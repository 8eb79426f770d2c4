// Shown while the knowledge base loads.
import { SectionLoading } from '@/components/agents/section-loading';

export default function KnowledgeLoading() {
  return <SectionLoading label="Loading knowledge…" />;
}
