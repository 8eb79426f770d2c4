// Shown while the tools load.
import { SectionLoading } from '@/components/agents/section-loading';

export default function ToolsLoading() {
  return <SectionLoading label="Loading tools…" />;
}
