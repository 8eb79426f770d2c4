// Egress adapters for tests: a resolver answering from a table and a connector
// that records every dial and answers from a script, so a broken guard shows up
// as an unexpected entry in `dialled` instead of a packet leaving the machine.
import type { DialRequest, DialResponse, EgressAdapters } from '../net/egress-guard';

export type ScriptedResponse = { status?: number; headers?: Record<string, string>; body?: string | Uint8Array[] };

export type RecordingEgress = {
  adapters: EgressAdapters;
  /** Every dial the guard made, in order. */
  dialled: DialRequest[];
  /** Every name the guard asked the resolver about. */
  lookedUp: string[];
};

/**
 * `dns` maps host names to their addresses (unknown names fail to resolve);
 * `respond` answers a dial (default: 200 with body "ok").
 */
export function recordingEgress(
  dns: Record<string, string[]>,
  respond: (request: DialRequest) => ScriptedResponse = () => ({}),
): RecordingEgress {
  const dialled: DialRequest[] = [];
  const lookedUp: string[] = [];
  return {
    dialled,
    lookedUp,
    adapters: {
      resolver: {
        async lookup(host) {
          lookedUp.push(host);
          const answers = dns[host];
          if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
          return answers;
        },
      },
      connector: {
        async dial(request): Promise<DialResponse> {
          dialled.push(request);
          const scripted = respond(request);
          const chunks = typeof scripted.body === 'string' || scripted.body === undefined ? [new TextEncoder().encode(scripted.body ?? 'ok')] : scripted.body;
          return {
            status: scripted.status ?? 200,
            headers: scripted.headers ?? { 'content-type': 'text/plain' },
            body: (async function* () {
              for (const chunk of chunks) yield chunk;
            })(),
          };
        },
      },
    },
  };
}
