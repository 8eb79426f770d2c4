'use client';
// The current workspace, as a button that discloses a list of the user's
// workspaces (with their role) as links, and a link to create a new one. Nothing
// navigates until a link is followed, so arrow keys and Tab never move the
// user by accident. Escape or a click elsewhere closes the list.
import Link from 'next/link';
import { useEffect, useId, useRef, useState } from 'react';

type Option = { slug: string; name: string; role: string };

export function WorkspaceSwitcher({ current, workspaces }: { current: string; workspaces: Option[] }) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const currentName = workspaces.find((w) => w.slug === current)?.name ?? current;

  useEffect(() => {
    if (!open) return;
    const closeOutside = (event: MouseEvent | FocusEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', closeOutside);
    document.addEventListener('focusin', closeOutside);
    return () => {
      document.removeEventListener('mousedown', closeOutside);
      document.removeEventListener('focusin', closeOutside);
    };
  }, [open]);

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };
  const item =
    'flex min-h-10 items-center justify-between gap-3 rounded-md px-3 py-2 text-sm text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-[-2px] focus-visible:outline-accent-600';

  return (
    <div
      ref={rootRef}
      className="relative min-w-0 flex-1 sm:flex-none"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          close();
        }
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((o) => !o)}
        className="flex min-h-10 w-full items-center justify-between gap-2 rounded-md bg-white py-1.5 pl-3 pr-2 text-left text-sm font-medium text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent-600 sm:min-h-9 sm:w-60"
      >
        <span className="truncate">
          <span className="sr-only">Switch workspace, current: </span>
          {currentName}
        </span>
        <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4 shrink-0 text-slate-500" fill="currentColor">
          <path d="M5.3 7.3a1 1 0 0 1 1.4 0L10 10.6l3.3-3.3a1 1 0 1 1 1.4 1.4l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 0 1 0-1.4Z" />
        </svg>
      </button>
      <div
        id={listId}
        hidden={!open}
        className="absolute left-0 z-20 mt-1 w-full min-w-60 rounded-lg bg-white p-1 shadow-lg ring-1 ring-slate-200 sm:w-72"
      >
        <nav aria-label="Your workspaces">
          <ul>
            {workspaces.map((w) => (
              <li key={w.slug}>
                <Link
                  href={`/w/${w.slug}`}
                  aria-current={w.slug === current ? 'true' : undefined}
                  onClick={() => setOpen(false)}
                  className={`${item} ${w.slug === current ? 'font-semibold' : ''}`}
                >
                  <span className="min-w-0 truncate">{w.name}</span>
                  <span className="shrink-0 text-xs capitalize text-slate-600">{w.role}</span>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="mt-1 border-t border-slate-100 pt-1">
          <Link href="/new" onClick={() => setOpen(false)} className={`${item} font-medium text-accent-700`}>
            + Create workspace
          </Link>
        </div>
      </div>
    </div>
  );
}
