// Shown while the memory browser loads.
import { SectionLoading } from '@/components/agents/section-loading';

export default function MemoryLoading() {
  return <SectionLoading label="Loading memory…" />;
}
