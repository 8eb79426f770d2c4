// tRPC for server components: the same procedures (and so the same access
// checks) as the HTTP API, called in-process with the session's user.
import { currentSessionUser } from '../tenancy/session-user';
import { createContext } from './context';
import { createCaller } from './root';

export async function serverCaller() {
  return createCaller(createContext(await currentSessionUser()));
}
