// Recognises Prisma's "unique constraint failed" error without importing the
// runtime error classes into domain code.
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
