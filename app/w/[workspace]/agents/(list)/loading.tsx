// Shown while the agents load.
import { SectionLoading } from '@/components/agents/section-loading';

export default function AgentsLoading() {
  return <SectionLoading label="Loading agents…" />;
}
