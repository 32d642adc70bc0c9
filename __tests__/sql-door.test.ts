/**
 * SQL text enters through one door (src/db/sql.ts): everywhere else, SQL is built with tagged
 * templates whose values are bind parameters. This fails for any other use of the raw APIs.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/paths';

const FORBIDDEN = [/\bPrisma\.raw\s*\(/, /\$queryRawUnsafe\b/, /\$executeRawUnsafe\b/, /\bPrisma\.sql\s*\(/];
const DOOR = path.join('src', 'db', 'sql.ts');

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(PROJECT_ROOT, dir), { withFileTypes: true });
  const files = await Promise.all(
    entries.map((entry) => {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'generated' ? [] : sources(relative);
      return /\.(ts|mjs|js)$/.test(entry.name) ? [relative] : [];
    }),
  );
  return files.flat();
}

test('no raw SQL text outside src/db/sql.ts', async () => {
  const files = [...(await sources('src')), ...(await sources('scripts'))].filter((file) => file !== DOOR);
  expect(files.length).toBeGreaterThan(50);
  const offenders: string[] = [];
  for (const file of files) {
    const lines = (await readFile(path.join(PROJECT_ROOT, file), 'utf8')).split('\n');
    lines.forEach((line, index) => {
      if (FORBIDDEN.some((pattern) => pattern.test(line))) offenders.push(`${file}:${index + 1}: ${line.trim()}`);
    });
  }
  expect(offenders).toEqual([]);
});
