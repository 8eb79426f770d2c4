// Shown while the prompt library loads.
import { SectionLoading } from '@/components/agents/section-loading';

export default function PromptsLoading() {
  return <SectionLoading label="Loading the prompt library…" />;
}
