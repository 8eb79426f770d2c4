import { databaseHealth } from '@/server/db/health';

export const dynamic = 'force-dynamic';

export async function GET() {
  const database = await databaseHealth();
  return Response.json({ status: database.ok ? 'ok' : 'unavailable', database }, { status: database.ok ? 200 : 503 });
}
