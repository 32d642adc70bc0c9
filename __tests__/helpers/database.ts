/**
 * A database of its own for one test file: a clone of the migrated and seeded template made by
 * the global setup. Statements sent through its Prisma client are counted.
 */
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch-database';
import { createPrisma } from '../../src/db/prisma';
import type { PrismaClient } from '../../src/generated/prisma/client';

export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  /** SQL statements sent since the last reset. */
  statements: string[];
  drop(): Promise<void>;
}

export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_SERVER_URL;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  if (!serverUrl || !template) throw new Error('The jest global setup did not run (TEST_SERVER_URL unset)');
  const scratch: ScratchDatabase = await createScratchDatabase(serverUrl, {
    prefix: 'uscn_test',
    template: options.empty ? undefined : template,
  });
  const statements: string[] = [];
  const prisma = createPrisma(scratch.url, { onQuery: (sql) => statements.push(sql) });
  return {
    url: scratch.url,
    prisma,
    statements,
    async drop() {
      await prisma.$disconnect();
      await scratch.drop();
    },
  };
}
