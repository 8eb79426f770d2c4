// Shown while the runs load.
import { SectionLoading } from '@/components/agents/section-loading';

export default function RunsLoading() {
  return <SectionLoading label="Loading runs…" />;
}
