// Picks two versions to compare. A plain GET form: the page reads ?from=&to= and
// renders the diff on the server, so it works before any script has loaded.
import { SelectField } from '../ui/select-field';
import { buttonClass } from '../ui/button';

export function CompareVersionsForm({ versions, from, to }: { versions: number[]; from: number; to: number }) {
  const options = versions.map((v) => ({ value: String(v), label: `v${v}` }));
  return (
    <form method="get" className="flex flex-wrap items-end gap-3">
      <SelectField label="From" name="from" options={options} defaultValue={String(from)} />
      <SelectField label="To" name="to" options={options} defaultValue={String(to)} />
      <button type="submit" className={buttonClass('secondary')}>
        Compare
      </button>
    </form>
  );
}
