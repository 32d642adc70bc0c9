// Read by the Prisma CLI (`prisma generate`). The app itself never reads this file: it builds
// its connection from src/config.ts, which also knows about the embedded database.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
