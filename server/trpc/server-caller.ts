// tRPC for server components: the same procedures (and so the same access
// checks) as the HTTP API, called in-process with the session's user.
import { currentSessionUser } from '../tenancy/session-user';
import { createContext } from './context';
import { createCaller } from './root';

/** `apiRequest`: an HTTP route calling on its client's behalf, counted against the workspace's API requests per minute. */
export async function serverCaller(options: { apiRequest?: boolean } = {}) {
  return createCaller(createContext(await currentSessionUser(), undefined, options));
}
