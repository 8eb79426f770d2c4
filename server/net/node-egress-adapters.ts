// The real resolver and connector behind the egress guard: system DNS, and
// node:http/https dialling the vetted IP itself (the name only travels as the
// Host header and the TLS server name, so nothing resolves it a second time).
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { Connector, DialRequest, DialResponse, EgressAdapters, HostResolver } from './egress-guard';

export const systemResolver: HostResolver = {
  async lookup(host) {
    const answers = await lookup(host, { all: true, verbatim: true });
    return answers.map((answer) => answer.address);
  },
};

/** `ca` adds trusted certificates (an in-cluster provider behind a private CA); the system store stays trusted. */
export function createNodeConnector(options: { ca?: string[] } = {}): Connector {
  const ca = options.ca ? [...tls.rootCertificates, ...options.ca] : undefined;
  return { dial: (request) => dial(request, ca) };
}

function dial(request: DialRequest, ca: string[] | undefined): Promise<DialResponse> {
  const transport = request.url.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = { ...request.headers };
  if (request.body) headers['content-length'] = String(request.body.byteLength);
  return new Promise<DialResponse>((resolve, reject) => {
    const outgoing = transport.request(
      {
        // An IP address: net.connect skips DNS for it.
        host: request.address,
        port: request.port,
        method: request.method,
        path: `${request.url.pathname}${request.url.search}`,
        headers,
        // The certificate is checked against this name, not the dialled address.
        servername: request.servername ?? '',
        ca,
        // One connection per request: a pooled socket is keyed by address, not by the vetted name.
        agent: false,
        signal: request.signal,
      },
      (incoming) => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: incoming }),
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

export const nodeConnector: Connector = createNodeConnector();

export const nodeEgressAdapters: EgressAdapters = { resolver: systemResolver, connector: nodeConnector };
