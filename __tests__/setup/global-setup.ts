/**
 * One PostgreSQL server for the whole run: the embedded one (throw-away), or the server
 * DATABASE_URL points at. A template database gets the migrations and the seed data once; each
 * test file then clones it (CREATE DATABASE … TEMPLATE), so files neither share state nor
 * depend on the order they run in. With DATABASE_URL, only databases this run created are
 * touched, and all are dropped at the end.
 */
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { createScratchDatabase } from '../../src/db/scratch-database';
import { applyMigrations } from '../../src/db/migrate';
import { createPrisma } from '../../src/db/prisma';
import { seedIfEmpty } from '../../src/seed';

declare global {
  var __TEST_DB__: { stop?: () => Promise<void>; dropTemplate: () => Promise<void> } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres();
  const serverUrl = process.env.DATABASE_URL ?? embedded!.url;
  const template = await createScratchDatabase(serverUrl, { prefix: 'uscn_test_template' });
  await applyMigrations(template.url);
  const prisma = createPrisma(template.url);
  await seedIfEmpty(prisma);
  await prisma.$disconnect();

  process.env.TEST_SERVER_URL = serverUrl;
  process.env.TEST_TEMPLATE_DATABASE = template.name;
  globalThis.__TEST_DB__ = { stop: embedded && (() => embedded.stop()), dropTemplate: () => template.drop() };
}
