// Inline messages: errors are announced to screen readers (role="alert"),
// other tones politely (role="status").
import type { ReactNode, Ref } from 'react';

const tones = {
  error: 'bg-red-50 text-red-800 ring-red-200',
  success: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  info: 'bg-accent-50 text-accent-800 ring-accent-100',
  warning: 'bg-amber-50 text-amber-900 ring-amber-200',
} as const;

export function Alert({
  tone = 'error',
  id,
  ref,
  tabIndex,
  children,
}: {
  tone?: keyof typeof tones;
  id?: string;
  ref?: Ref<HTMLDivElement>;
  tabIndex?: number;
  children: ReactNode;
}) {
  return (
    <div
      id={id}
      ref={ref}
      tabIndex={tabIndex}
      role={tone === 'error' ? 'alert' : 'status'}
      className={`rounded-md px-3 py-2 text-sm ring-1 ring-inset focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600 ${tones[tone]}`}
    >
      {children}
    </div>
  );
}
