'use client';
// A read-only value with a "Copy" button (clipboard API, falling back to
// selecting the text for browsers that refuse it on plain http).
import { useId, useRef, useState } from 'react';
import { Button } from './button';
import { inputClass } from './text-field';

export function CopyField({ label, value, buttonLabel = 'Copy' }: { label: string; value: string; buttonLabel?: string }) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'select' | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      inputRef.current?.select();
      setCopied('select');
    }
  }

  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      <div className="flex gap-2">
        <input
          ref={inputRef}
          id={id}
          readOnly
          value={value}
          onFocus={(e) => e.target.select()}
          className={`${inputClass} font-mono text-xs`}
        />
        <Button type="button" variant="secondary" className="shrink-0" onClick={copy}>
          {copied === 'yes' ? 'Copied' : buttonLabel}
        </Button>
      </div>
      <p aria-live="polite" className="mt-1 text-xs text-slate-600">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'select' ? 'Press Ctrl+C (⌘C) to copy the selected link.' : ''}
      </p>
    </div>
  );
}
