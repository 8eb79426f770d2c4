// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the
// embedded database when it is unset (stop `npm start` first: PGlite allows
// one process per data directory).
import '../launcher/load-dotenv';
import { startDatabase } from '../launcher/database';
import { migrate } from './migrator';
import { createOwnerPool } from './owner-pool';

const database = await startDatabase();
const owner = createOwnerPool(database.url);
try {
  const report = await migrate(owner);
  console.log(
    report.applied.length
      ? `Applied ${report.applied.length} migration(s): ${report.applied.join(', ')}`
      : `Nothing to apply (${report.alreadyApplied} already applied)`,
  );
} finally {
  await owner.end();
  await database.stop();
}
