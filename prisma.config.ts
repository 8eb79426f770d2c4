// Prisma CLI configuration. Only `prisma generate` is used: migrations are plain
// SQL applied by server/db/migrator.ts, so no datasource URL is needed here.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
});
