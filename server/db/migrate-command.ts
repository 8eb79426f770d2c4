// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or, when it
// is unset, to the embedded database: through the running app's gate (found by
// the connection file in $ENCLAVE_DATA_DIR), or started here if no app runs.
import '../launcher/load-dotenv';
import { runningOrStartedDatabase } from '../launcher/database';
import { migrate } from './migrator';
import { createOwnerPool } from './owner-pool';

const database = await runningOrStartedDatabase();
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
