// A pg pool on the connecting (owner) user, outside any tenant context. Only the
// migrator, the demo seed, the database launcher and tests may use it; lint
// forbids importing it anywhere else.
import pg from 'pg';

export function createOwnerPool(url: string, max = 4): pg.Pool {
  return new pg.Pool({ connectionString: url, max });
}
