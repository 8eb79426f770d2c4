// A white panel with an optional title and description.
import type { ReactNode } from 'react';

export function Card({
  title,
  description,
  children,
  className = '',
  tone = 'default',
}: {
  title?: string;
  description?: ReactNode;
  children: ReactNode;
  className?: string;
  tone?: 'default' | 'danger';
}) {
  const ring = tone === 'danger' ? 'ring-red-200' : 'ring-slate-200';
  return (
    <section className={`rounded-lg bg-white p-5 shadow-sm ring-1 ${ring} sm:p-6 ${className}`}>
      {title && <h2 className={`text-base font-semibold ${tone === 'danger' ? 'text-red-700' : 'text-slate-900'}`}>{title}</h2>}
      {description && <p className="mt-1 text-sm text-slate-600">{description}</p>}
      <div className={title || description ? 'mt-4' : ''}>{children}</div>
    </section>
  );
}
