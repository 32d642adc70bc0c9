// Read by the Prisma CLI: `prisma generate` (npm install runs it), and `prisma migrate status`,
// `prisma migrate deploy` and `prisma studio`, which need the database: DATABASE_URL, from the
// environment or the project's .env file (as the service reads it). The service itself never
// reads this file: it builds its connection in src/config.ts, which also knows about the embedded
// database (whose port changes at every start, so the CLI needs DATABASE_URL pointed at a server).
import { existsSync } from 'node:fs';
import { defineConfig } from 'prisma/config';

// Variables already set win over the file, as they do for the service (src/env-file.ts).
if (existsSync('.env')) process.loadEnvFile('.env');

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  // Optional here so that `prisma generate` runs without a database; the commands that need one
  // say so when it is missing.
  datasource: { url: process.env.DATABASE_URL },
});
