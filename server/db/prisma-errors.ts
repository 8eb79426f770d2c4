// Recognises Prisma's "unique constraint failed" error without importing the
// runtime error classes into domain code.
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

/** Recognises Prisma's "foreign key constraint violated" error (a referenced row is still in use). */
export function isForeignKeyViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2003';
}
