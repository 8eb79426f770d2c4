'use client';
// A date or time shown in the reader's own time zone. The server renders it in
// UTC (marked as such); the browser swaps in local time once hydrated.
import { useSyncExternalStore } from 'react';

const noSubscription = () => () => {};

export function LocalTime({ date, withTime = false, className }: { date: Date; withTime?: boolean; className?: string }) {
  const inBrowser = useSyncExternalStore(noSubscription, () => true, () => false);
  const options: Intl.DateTimeFormatOptions = withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' };
  const text = inBrowser
    ? date.toLocaleString(undefined, options)
    : `${date.toLocaleString('en', { ...options, timeZone: 'UTC' })}${withTime ? ' UTC' : ''}`;
  return (
    <time dateTime={date.toISOString()} className={className}>
      {text}
    </time>
  );
}
