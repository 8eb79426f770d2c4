// The process-wide Prisma client over pg. Application code never queries it
// directly: tenant data goes through withWorkspace() and friends in
// server/db/with-workspace.ts, which this module exists to serve.
import { PrismaPg } from '@prisma/adapter-pg';
import { env } from '../env';
import { PrismaClient } from './generated/client';
import { closeReadPool } from './read-pool';
import { closeStatementPool } from './statement-pool';

const holder = globalThis as unknown as { enclavePrisma?: { url: string; client: PrismaClient } };

export function prisma(): PrismaClient {
  const url = env().DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: start the app through server/main.ts, which starts the database');
  if (holder.enclavePrisma?.url !== url) {
    // PostgreSQL ends a session left idle in a transaction (the embedded
    // database's gate does the same), so one stuck request cannot stall the rest.
    const adapter = new PrismaPg({
      connectionString: url,
      max: 10,
      idle_in_transaction_session_timeout: env().ENCLAVE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    });
    holder.enclavePrisma = { url, client: new PrismaClient({ adapter }) };
  }
  return holder.enclavePrisma.client;
}

export async function disconnectPrisma(): Promise<void> {
  await holder.enclavePrisma?.client.$disconnect();
  holder.enclavePrisma = undefined;
  await closeStatementPool();
  await closeReadPool();
}
