// A labelled <select>; the label can be visually hidden (e.g. inside a table row).
import { useId, type Ref, type SelectHTMLAttributes } from 'react';

export type SelectFieldProps = SelectHTMLAttributes<HTMLSelectElement> & {
  ref?: Ref<HTMLSelectElement>;
  label: string;
  hideLabel?: boolean;
  options: readonly { value: string; label: string }[];
  error?: string;
};

export function SelectField({ label, hideLabel, options, error, id, className = '', ...rest }: SelectFieldProps) {
  const generated = useId();
  const selectId = id ?? generated;
  const described = [error ? `${selectId}-error` : null, rest['aria-describedby']].filter(Boolean).join(' ');
  return (
    // min-w-0: a long option must not widen a flex row past a phone's screen.
    <div className={`min-w-0 max-w-full ${className}`}>
      <label htmlFor={selectId} className={hideLabel ? 'sr-only' : 'mb-1 block text-sm font-medium text-slate-700'}>
        {label}
      </label>
      <select
        {...rest}
        id={selectId}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        className="block min-h-10 w-full rounded-md border-0 bg-white py-2 pl-3 pr-8 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-accent-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent-600 disabled:bg-slate-100 disabled:text-slate-500 sm:min-h-9"
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error && (
        <p id={`${selectId}-error`} className="mt-1 text-sm text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}
