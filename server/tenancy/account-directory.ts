// The operator's view of the user directory: accounts by email, at most 100,
// optionally filtered by a piece of the email or name. Never password hashes.
import { withAccounts } from '../db/with-workspace';

export type DirectoryEntry = { id: string; email: string; name: string; isOperator: boolean; createdAt: Date };

export function accountDirectory(search?: string): Promise<DirectoryEntry[]> {
  const term = search?.toLowerCase();
  return withAccounts((tx) =>
    tx.user.findMany({
      where: term ? { OR: [{ email: { contains: term } }, { name: { contains: term, mode: 'insensitive' } }] } : {},
      orderBy: { email: 'asc' },
      take: 100,
      select: { id: true, email: true, name: true, isOperator: true, createdAt: true },
    }),
  );
}
