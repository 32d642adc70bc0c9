import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The project's root folder, found from this file's location so that the same code works
 * from `src/` (tests, ts sources) and from the compiled `dist/src/`.
 */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'prisma', 'schema.prisma'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the project root (prisma/schema.prisma) above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot(__dirname);
export const PRISMA_DIR = path.join(PROJECT_ROOT, 'prisma');
export const SCHEMA_FILE = path.join(PRISMA_DIR, 'schema.prisma');
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, 'migrations');
export const SEED_FILE = path.join(PRISMA_DIR, 'seed', 'engagements.jsonl');
export const GRAPHQL_SCHEMA_FILE = path.join(PROJECT_ROOT, 'schema.graphql');
