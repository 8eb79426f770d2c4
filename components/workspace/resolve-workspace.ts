// Resolves /w/<slug> for the signed-in user, once per request (the layout and
// the page share it): signed out → sign-in and back; not a member or no such
// workspace → the not-found page, indistinguishably. Slugs are lowercase, so a
// URL typed in another case finds the workspace and is redirected to its
// canonical form by the page (which knows its own section).
import { TRPCError } from '@trpc/server';
import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { serverCaller } from '@/server/trpc/server-caller';

export const resolveWorkspace = cache(async (slug: string) => {
  const caller = await serverCaller();
  try {
    const workspace = await caller.workspaces.bySlug({ slug: slug.toLowerCase() });
    return { caller, workspace };
  } catch (error) {
    if (error instanceof TRPCError && error.code === 'UNAUTHORIZED') {
      redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/w/${slug.toLowerCase()}`)}`);
    }
    // A malformed slug (BAD_REQUEST) is just another page that isn't there.
    if (isNotThere(error)) notFound();
    throw error;
  }
});

/** Not in this workspace, or an id that is not one: both are a page that isn't there. */
const isNotThere = (error: unknown) => error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST');

/** What `read` answers for one of the workspace's entities (an agent, a run…), or null when it is not there. */
export async function readOrNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (isNotThere(error)) return null;
    throw error;
  }
}

/** Sends /w/ACME/members to /w/acme/members; `section` is the page's path below the workspace ('' for home). */
export function canonicalWorkspacePath(slug: string, section: string): void {
  const lower = slug.toLowerCase();
  if (slug !== lower) redirect(`/w/${encodeURIComponent(lower)}${section}`);
}

/** A page title naming the workspace: "Members · Acme" (the root layout appends "· Enclave"). */
export async function workspaceTitle(section: string | null, slug: string): Promise<Metadata> {
  const { workspace } = await resolveWorkspace(slug);
  return { title: section ? `${section} · ${workspace.name}` : workspace.name };
}
