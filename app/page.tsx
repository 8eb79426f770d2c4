// The front door: signed out → sign-in; signed in → the first workspace, or
// creating one when there is none.
import { redirect } from 'next/navigation';
import { serverCaller } from '@/server/trpc/server-caller';
import { currentSessionUser } from '@/server/tenancy/session-user';

export default async function Home() {
  if (!(await currentSessionUser())) redirect('/sign-in');
  const workspaces = await (await serverCaller()).workspaces.mine();
  redirect(workspaces[0] ? `/w/${workspaces[0].slug}` : '/new');
}
