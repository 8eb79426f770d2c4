// Shown while the agent and its versions load.
import { SectionLoading } from '@/components/agents/section-loading';

export default function AgentLoading() {
  return <SectionLoading label="Loading the agent…" />;
}
