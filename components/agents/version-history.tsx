'use client';
// An agent's versions, newest first, with who published each and why. Writers can
// roll back to an older version: its content is published again as a new version.
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { ConfirmButton } from '../ui/confirm-button';
import { LocalTime } from '../ui/local-time';

export type VersionRow = { version: number; changeNote: string; model: string; createdAt: Date; authorName: string | null };

export function VersionHistory(props: {
  workspaceId: string;
  agentId: string;
  versions: VersionRow[];
  publishedVersion: number;
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [notice, setNotice] = useState<{ tone: 'error' | 'success'; text: string }>();
  const [refreshing, startRefresh] = useTransition();
  const [target, setTarget] = useState<number>();
  const rollback = useMutation(
    trpc.agents.rollback.mutationOptions({
      onError: (e) => setNotice({ tone: 'error', text: e.message }),
      onSuccess: (agent) => {
        setNotice({ tone: 'success', text: `Published v${agent.publishedVersion}: ${agent.current.changeNote}.` });
        startRefresh(() => router.refresh());
      },
    }),
  );
  return (
    <div className="space-y-3">
      {notice && <Alert tone={notice.tone}>{notice.text}</Alert>}
      <ol className="-mx-5 divide-y divide-slate-100 sm:-mx-6" aria-label="Versions">
        {props.versions.map((v) => (
          <li key={v.version} aria-label={`Version ${v.version}`} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-5 py-3 sm:px-6">
            <span className="w-12 font-mono text-sm font-semibold text-slate-900">v{v.version}</span>
            <div className="min-w-0 flex-1">
              <p className="text-sm text-slate-800">{v.changeNote || <span className="text-slate-400">No change note</span>}</p>
              <p className="text-xs text-slate-500">
                <LocalTime date={v.createdAt} withTime />
                {v.authorName && ` · ${v.authorName}`} · <span className="font-mono">{v.model}</span>
              </p>
            </div>
            {v.version === props.publishedVersion ? (
              <span className="rounded bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-700 ring-1 ring-emerald-200">Published</span>
            ) : (
              props.canWrite && (
                <ConfirmButton
                  question={`Publish v${v.version}'s content as a new version?`}
                  confirmLabel="Roll back"
                  variant="primary"
                  pending={(rollback.isPending || refreshing) && target === v.version}
                  pendingLabel="Rolling back…"
                  disabled={rollback.isPending || refreshing}
                  nowrap
                  onConfirm={() => {
                    setNotice(undefined);
                    setTarget(v.version);
                    rollback.mutate({ workspaceId: props.workspaceId, agentId: props.agentId, version: v.version });
                  }}
                >
                  Roll back to this version
                </ConfirmButton>
              )
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
