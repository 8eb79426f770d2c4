// The app's one tRPC router, merged from small feature routers.
import { createCallerFactory, router } from './init';
import { accountRouter } from './routers/account';
import { adminRouter } from './routers/admin';
import { agentsRouter } from './routers/agents';
import { auditRouter } from './routers/audit';
import { approvalsRouter } from './routers/approvals';
import { budgetsRouter } from './routers/budgets';
import { egressRouter } from './routers/egress';
import { invitationsRouter } from './routers/invitations';
import { knowledgeRouter } from './routers/knowledge';
import { limitsRouter } from './routers/limits';
import { lifecycleRouter } from './routers/lifecycle';
import { memoryRouter } from './routers/memory';
import { membersRouter } from './routers/members';
import { policiesRouter } from './routers/policies';
import { promptsRouter } from './routers/prompts';
import { secretsRouter } from './routers/secrets';
import { toolsRouter } from './routers/tools';
import { tracesRouter } from './routers/traces';
import { providersRouter } from './routers/providers';
import { routingRouter } from './routers/routing';
import { runsRouter } from './routers/runs';
import { usageRouter } from './routers/usage';
import { workspacesRouter } from './routers/workspaces';

export const appRouter = router({
  account: accountRouter,
  workspaces: workspacesRouter,
  members: membersRouter,
  invitations: invitationsRouter,
  secrets: secretsRouter,
  admin: adminRouter,
  agents: agentsRouter,
  prompts: promptsRouter,
  tools: toolsRouter,
  egress: egressRouter,
  providers: providersRouter,
  routing: routingRouter,
  usage: usageRouter,
  budgets: budgetsRouter,
  runs: runsRouter,
  traces: tracesRouter,
  knowledge: knowledgeRouter,
  memory: memoryRouter,
  limits: limitsRouter,
  audit: auditRouter,
  lifecycle: lifecycleRouter,
  approvals: approvalsRouter,
  policies: policiesRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
