// The app's one tRPC router, merged from small feature routers.
import { createCallerFactory, router } from './init';
import { accountRouter } from './routers/account';
import { adminRouter } from './routers/admin';
import { invitationsRouter } from './routers/invitations';
import { membersRouter } from './routers/members';
import { secretsRouter } from './routers/secrets';
import { workspacesRouter } from './routers/workspaces';

export const appRouter = router({
  account: accountRouter,
  workspaces: workspacesRouter,
  members: membersRouter,
  invitations: invitationsRouter,
  secrets: secretsRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
