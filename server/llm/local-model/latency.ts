// Simulated model latency: a time to first token and a token rate, set per
// server and overridable per request with `x-local-model-latency: ttft=50,tps=100`.
// Zero means none; waits end early when the client goes away or the server stops.
import { setTimeout as sleep } from 'node:timers/promises';
import { invalidRequest } from './api-errors';

export type Latency = {
  /** Milliseconds before the first token. */
  ttftMs: number;
  /** Tokens per second after the first; 0 = all at once. */
  tokensPerSecond: number;
};

export const NO_LATENCY: Latency = { ttftMs: 0, tokensPerSecond: 0 };
export const LATENCY_HEADER = 'x-local-model-latency';
const MAX_TTFT_MS = 600_000;

/** The server's latency with the request header's overrides applied. */
export function latencyFor(header: string | string[] | undefined, base: Latency): Latency {
  if (header === undefined) return base;
  const value = Array.isArray(header) ? header.join(',') : header;
  const latency = { ...base };
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^(ttft|tps)\s*=\s*(\d+(?:\.\d+)?)$/i.exec(part);
    if (!match) {
      throw invalidRequest(`Invalid ${LATENCY_HEADER} header: expected "ttft=<ms>,tps=<tokens per second>".`, LATENCY_HEADER);
    }
    const number = Number(match[2]);
    if (match[1]!.toLowerCase() === 'ttft') latency.ttftMs = Math.min(number, MAX_TTFT_MS);
    else latency.tokensPerSecond = number;
  }
  return latency;
}

/** Milliseconds after the first token at which token `index` (0-based) is due. */
export function tokenDueMs(latency: Latency, index: number): number {
  return latency.tokensPerSecond > 0 ? (index * 1000) / latency.tokensPerSecond : 0;
}

/** Total time for a reply of `tokens` tokens. */
export function replyDurationMs(latency: Latency, tokens: number): number {
  return latency.ttftMs + tokenDueMs(latency, Math.max(tokens - 1, 0));
}

/** Waits `ms`; resolves false instead if `signal` aborts first. */
export async function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (ms <= 0) return true;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
