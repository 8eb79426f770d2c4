// Resolves /w/<slug> for the signed-in user, once per request (the layout and
// the page share it): signed out → sign-in and back; not a member or no such
// workspace → the not-found page, indistinguishably.
import { TRPCError } from '@trpc/server';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { serverCaller } from '@/server/trpc/server-caller';

export const resolveWorkspace = cache(async (slug: string) => {
  const caller = await serverCaller();
  try {
    const workspace = await caller.workspaces.bySlug({ slug });
    return { caller, workspace };
  } catch (error) {
    if (error instanceof TRPCError && error.code === 'UNAUTHORIZED') {
      redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/w/${slug}`)}`);
    }
    // A malformed slug (BAD_REQUEST) is just another page that isn't there.
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) notFound();
    throw error;
  }
});
