// The audit log's filters as a GET form (actor, action, from, to), so a filtered
// view is a link; the CSV export link carries the same filter.
import { Button, buttonClass } from '../ui/button';
import { SelectField } from '../ui/select-field';
import { TextField } from '../ui/text-field';

export type AuditFilterValues = { actor?: string; action?: string; from?: string; to?: string };

export function AuditFilterForm({
  slug,
  values,
  actions,
  actors,
  csvHref,
}: {
  slug: string;
  values: AuditFilterValues;
  actions: string[];
  actors: { id: string; label: string }[];
  csvHref: string;
}) {
  return (
    <form method="get" action={`/w/${slug}/audit`} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5 lg:items-end" aria-label="Filter the audit log">
      <SelectField
        label="Actor"
        name="actor"
        defaultValue={values.actor ?? ''}
        options={[{ value: '', label: 'Anyone' }, { value: 'system', label: 'System (no user)' }, ...actors.map((a) => ({ value: a.id, label: a.label }))]}
      />
      <SelectField label="Action" name="action" defaultValue={values.action ?? ''} options={[{ value: '', label: 'Any action' }, ...actions.map((a) => ({ value: a, label: a }))]} />
      <TextField label="From (UTC day)" name="from" type="date" defaultValue={values.from ?? ''} />
      <TextField label="To (UTC day, inclusive)" name="to" type="date" defaultValue={values.to ?? ''} />
      <div className="flex gap-2">
        <Button type="submit">Apply</Button>
        {/* A plain link: the CSV is a file download, not a page. */}
        <a href={csvHref} download className={buttonClass('secondary')}>
          Export CSV
        </a>
      </div>
    </form>
  );
}
