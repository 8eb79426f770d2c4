// Readiness: the database answers through the app role (the launcher applies
// migrations before the app serves its first request).
import { withoutTenant } from './with-workspace';

export async function databaseHealth(): Promise<{ ok: boolean; latencyMs?: number; error?: string }> {
  const started = performance.now();
  try {
    await withoutTenant((tx) => tx.$queryRaw`SELECT 1`);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch {
    return { ok: false, error: 'database unreachable' };
  }
}
