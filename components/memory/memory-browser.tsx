'use client';
// The memory browser: pick an end user, read their threads (open one for its
// messages) and memory items; writers delete a thread, an item, or forget the
// end user entirely (threads, messages, memory items and their embeddings).
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/trpc/root';
import { useTRPC } from '../trpc-provider';
import { Alert } from '../ui/alert';
import { Card } from '../ui/card';
import { ConfirmButton } from '../ui/confirm-button';
import { EmptyState } from '../ui/empty-state';
import { LocalTime } from '../ui/local-time';
import { useToast } from '../ui/toast';

type EndUser = inferRouterOutputs<AppRouter>['memory']['endUsers'][number];

export function MemoryBrowser(props: { workspaceId: string; initialEndUsers: EndUser[]; canWrite: boolean }) {
  const trpc = useTRPC();
  const [selected, setSelected] = useState<string | null>(props.initialEndUsers[0]?.endUserId ?? null);
  const [notice, setNotice] = useState<{ tone: 'error' | 'success'; text: string }>();
  const toast = useToast();
  const endUsers = useQuery(trpc.memory.endUsers.queryOptions({ workspaceId: props.workspaceId }, { initialData: props.initialEndUsers }));
  const list = endUsers.data ?? props.initialEndUsers;
  const current = list.some((u) => u.endUserId === selected) ? selected : (list[0]?.endUserId ?? null);

  const forget = useMutation(
    trpc.memory.forgetEndUser.mutationOptions({
      onSuccess: (result, input) => {
        setNotice({ tone: 'success', text: `Forgot ${input.endUser}: ${result.threads} thread(s), ${result.messages} message(s) and ${result.memoryItems} memory item(s) deleted.` });
        toast(`Forgot ${input.endUser}`);
        setSelected(null);
        void endUsers.refetch();
      },
      onError: (e) => setNotice({ tone: 'error', text: e.message }),
    }),
  );

  if (list.length === 0) {
    return (
      <Card>
        {notice && <Alert tone={notice.tone}>{notice.text}</Alert>}
        <EmptyState title="No end users yet">
          Runs that name an end user (the playground&apos;s End user field, or <code>endUser</code> on runs.start) keep a thread and memory, and show up here.
        </EmptyState>
      </Card>
    );
  }

  return (
    <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
      <Card title={`End users (${list.length})`}>
        <ul className="space-y-1" aria-label="End users">
          {list.map((u) => (
            <li key={u.endUserId}>
              <button
                type="button"
                onClick={() => setSelected(u.endUserId)}
                aria-current={u.endUserId === current ? 'true' : undefined}
                className={`min-h-10 w-full rounded-md px-2 py-1.5 text-left text-sm ${u.endUserId === current ? 'bg-accent-50 font-medium text-accent-800' : 'hover:bg-slate-50'}`}
              >
                <span className="block break-all font-mono text-xs">{u.endUserId}</span>
                <span className="text-xs text-slate-500">
                  {u.threadCount} thread(s) · {u.memoryCount} memories
                </span>
              </button>
            </li>
          ))}
        </ul>
      </Card>
      <div className="space-y-6">
        {notice && <Alert tone={notice.tone}>{notice.text}</Alert>}
        {current && (
          <>
            <div className="flex flex-wrap items-center justify-between gap-3">
              <h2 className="min-w-0 break-all text-lg font-semibold text-slate-900">
                End user <span className="font-mono text-base" data-testid="memory-end-user">{current}</span>
              </h2>
              {props.canWrite && (
                <ConfirmButton
                  variant="danger"
                  question={`Delete every thread, message and memory of ${current}?`}
                  confirmLabel="Forget"
                  pending={forget.isPending}
                  pendingLabel="Forgetting…"
                  onConfirm={() => forget.mutate({ workspaceId: props.workspaceId, endUser: current })}
                >
                  Forget this end user
                </ConfirmButton>
              )}
            </div>
            <EndUserThreads key={`t-${current}`} workspaceId={props.workspaceId} endUser={current} canWrite={props.canWrite} onChange={() => void endUsers.refetch()} />
            <EndUserMemories key={`m-${current}`} workspaceId={props.workspaceId} endUser={current} canWrite={props.canWrite} onChange={() => void endUsers.refetch()} />
          </>
        )}
      </div>
    </div>
  );
}

function EndUserThreads(props: { workspaceId: string; endUser: string; canWrite: boolean; onChange: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const [open, setOpen] = useState<string | null>(null);
  const threads = useQuery(trpc.memory.threads.queryOptions({ workspaceId: props.workspaceId, endUser: props.endUser }));
  const remove = useMutation(
    trpc.memory.deleteThread.mutationOptions({
      onSuccess: (_, { threadId }) => {
        toast(`Deleted the thread ${threads.data?.find((t) => t.id === threadId)?.title || 'Untitled thread'}`);
        void threads.refetch();
        props.onChange();
      },
    }),
  );
  return (
    <Card title="Threads">
      {remove.error && <Alert>{remove.error.message}</Alert>}
      {threads.isPending ? (
        <p className="text-sm text-slate-500">Loading threads…</p>
      ) : threads.isError ? (
        <Alert>{threads.error.message}</Alert>
      ) : threads.data.length === 0 ? (
        <EmptyState title="No threads">This end user has no conversation threads.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Threads">
          {threads.data.map((t) => (
            <li key={t.id} className="py-3">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <button type="button" className="min-h-10 text-left font-medium text-accent-700 hover:underline sm:min-h-0" onClick={() => setOpen(open === t.id ? null : t.id)} aria-expanded={open === t.id}>
                  {t.title || 'Untitled thread'}
                </button>
                <span className="text-sm text-slate-600">
                  {t.agentName} · {t.messageCount} message(s) · <LocalTime date={t.updatedAt} withTime />
                </span>
              </div>
              {t.summary && <p className="mt-1 text-xs text-slate-500">Summary of older turns: {t.summary}</p>}
              {open === t.id && <ThreadMessages workspaceId={props.workspaceId} threadId={t.id} />}
              {props.canWrite && (
                <div className="mt-2">
                  <ConfirmButton
                    variant="secondary"
                    question="Delete this thread and its messages?"
                    confirmLabel="Delete"
                    pending={remove.isPending && remove.variables?.threadId === t.id}
                    pendingLabel="Deleting…"
                    onConfirm={() => remove.mutate({ workspaceId: props.workspaceId, threadId: t.id })}
                    nowrap
                  >
                    Delete thread
                  </ConfirmButton>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function ThreadMessages(props: { workspaceId: string; threadId: string }) {
  const trpc = useTRPC();
  const messages = useQuery(trpc.memory.messages.queryOptions({ workspaceId: props.workspaceId, threadId: props.threadId }));
  if (messages.isPending) return <p className="mt-2 text-sm text-slate-500">Loading messages…</p>;
  if (messages.isError) return <Alert>{messages.error.message}</Alert>;
  if (messages.data.length === 0) return <p className="mt-2 text-sm text-slate-500">No messages in this thread.</p>;
  return (
    <ol className="mt-2 space-y-2" aria-label="Messages">
      {messages.data.map((m) => (
        <li key={m.position} className={`rounded-md p-2 text-sm whitespace-pre-wrap ${m.role === 'user' ? 'bg-slate-50 text-slate-800' : 'bg-accent-50 text-slate-800'}`}>
          <span className="mr-2 text-xs font-semibold uppercase text-slate-500">{m.role === 'user' ? 'User' : 'Agent'}</span>
          {m.content}
        </li>
      ))}
    </ol>
  );
}

function EndUserMemories(props: { workspaceId: string; endUser: string; canWrite: boolean; onChange: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const items = useQuery(trpc.memory.items.queryOptions({ workspaceId: props.workspaceId, endUser: props.endUser }));
  const remove = useMutation(
    trpc.memory.deleteItem.mutationOptions({
      onSuccess: () => {
        toast('Deleted the memory');
        void items.refetch();
        props.onChange();
      },
    }),
  );
  return (
    <Card title="Memory" description="Facts the agents saved about this end user (memory_save); recalled in their later runs.">
      {remove.error && <Alert>{remove.error.message}</Alert>}
      {items.isPending ? (
        <p className="text-sm text-slate-500">Loading memory…</p>
      ) : items.isError ? (
        <Alert>{items.error.message}</Alert>
      ) : items.data.length === 0 ? (
        <EmptyState title="Nothing remembered">No agent has saved a memory about this end user.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Memory items">
          {items.data.map((item) => (
            <li key={item.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span className="min-w-0 break-words text-sm text-slate-800">
                {item.text}
                <span className="block text-xs text-slate-500">
                  {item.agentName} · <LocalTime date={item.createdAt} withTime />
                </span>
              </span>
              {props.canWrite && (
                <ConfirmButton
                  question="Delete this memory?"
                  confirmLabel="Delete"
                  pending={remove.isPending && remove.variables?.itemId === item.id}
                  pendingLabel="Deleting…"
                  onConfirm={() => remove.mutate({ workspaceId: props.workspaceId, itemId: item.id })}
                  nowrap
                >
                  Delete
                </ConfirmButton>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
