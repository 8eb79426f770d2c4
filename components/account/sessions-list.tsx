'use client';
// The account's signed-in devices: when each signed in and was last seen, from
// which browser and address, which one is this device; "Sign out" per device
// and "Sign out everywhere" (which ends this one too, through next-auth's
// sign-out so the cookie goes as well).
import { useMutation } from '@tanstack/react-query';
import { signOut } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useTRPC } from '../trpc-provider';
import { ConfirmButton } from '../ui/confirm-button';
import { EmptyState } from '../ui/empty-state';
import { FormAlert } from '../ui/form-feedback';
import { LocalTime } from '../ui/local-time';
import { useToast } from '../ui/toast';

export type SessionRow = {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  userAgent: string | null;
  clientAddress: string | null;
  current: boolean;
};

/** A short, readable name for a user agent string. */
function browserName(userAgent: string | null): string {
  if (!userAgent) return 'Unknown browser';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : userAgent.slice(0, 40);
  const system = /Windows/.test(userAgent)
    ? 'Windows'
    : /Mac OS X/.test(userAgent)
      ? 'macOS'
      : /Android/.test(userAgent)
        ? 'Android'
        : /iPhone|iPad/.test(userAgent)
          ? 'iOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null;
  return system ? `${browser} on ${system}` : browser;
}

export function SessionsList({ sessions }: { sessions: SessionRow[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const end = useMutation(
    trpc.account.endSession.mutationOptions({
      onSuccess: () => {
        toast('Signed that device out');
        router.refresh();
      },
    }),
  );
  const everywhere = useMutation(
    trpc.account.signOutEverywhere.mutationOptions({ onSuccess: () => void signOut({ callbackUrl: '/sign-in' }) }),
  );

  if (sessions.length === 0) return <EmptyState title="No signed-in devices" />;
  return (
    <div className="space-y-4">
      <FormAlert error={end.error ?? everywhere.error} />
      <ul className="divide-y divide-slate-200" aria-label="Signed-in devices">
        {sessions.map((s) => (
          <li key={s.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
            <div className="min-w-0">
              <p className="text-sm font-medium text-slate-900">
                {browserName(s.userAgent)}
                {s.current && <span className="ml-2 rounded bg-accent-50 px-1.5 py-0.5 text-xs font-medium text-accent-700">This device</span>}
              </p>
              <p className="text-xs text-slate-500">
                Signed in <LocalTime date={s.createdAt} withTime /> · last seen <LocalTime date={s.lastSeenAt} withTime />
                {s.clientAddress && ` · ${s.clientAddress}`}
              </p>
            </div>
            {s.current ? (
              <span className="text-xs text-slate-500">Use “Sign out everywhere” or the sign-out button</span>
            ) : (
              <ConfirmButton
                question="Sign this device out?"
                confirmLabel="Sign out"
                pending={end.isPending && end.variables?.sessionId === s.id}
                pendingLabel="Signing out…"
                onConfirm={() => end.mutate({ sessionId: s.id })}
                nowrap
              >
                Sign out
              </ConfirmButton>
            )}
          </li>
        ))}
      </ul>
      <ConfirmButton
        question="Sign out on every device, this one included?"
        confirmLabel="Sign out everywhere"
        pending={everywhere.isPending || everywhere.isSuccess}
        pendingLabel="Signing out…"
        onConfirm={() => everywhere.mutate()}
      >
        Sign out everywhere
      </ConfirmButton>
    </div>
  );
}
