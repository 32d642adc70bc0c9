/**
 * The lint rule that keeps SQL text behind one door (eslint.config.mjs): string-built SQL through
 * Prisma's raw APIs is an error anywhere in src/ and scripts/ but src/db/sql.ts, while tagged
 * templates (whose values are bind parameters) pass. Complements sql-door.test.ts, which reads the
 * sources; this checks that the editor and `npm run lint` say the same.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/paths';

interface Message {
  ruleId: string | null;
  message: string;
}

/** ESLint's verdict on `source` as if it were the file `file` (the file itself is not read). */
function lint(source: string, file: string): Message[] {
  // Without the type-aware rules, which would build the whole TypeScript program for each call.
  const untyped = [
    '--parser-options',
    'projectService:false',
    '--rule',
    '@typescript-eslint/no-floating-promises: off',
    '--rule',
    '@typescript-eslint/no-misused-promises: off',
  ];
  const result = spawnSync(
    path.join(PROJECT_ROOT, 'node_modules', '.bin', 'eslint'),
    ['--format', 'json', ...untyped, '--stdin', '--stdin-filename', file],
    {
      cwd: PROJECT_ROOT,
      input: source,
      encoding: 'utf8',
    },
  );
  const [report] = JSON.parse(result.stdout) as { messages: Message[] }[];
  return report.messages;
}

const RAW = `
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
export async function run(prisma: PrismaClient, table: string, slug: string): Promise<void> {
  await prisma.$queryRawUnsafe(\`SELECT * FROM \${table}\`);
  await prisma.$executeRawUnsafe('DELETE FROM meeting');
  await prisma['$queryRawUnsafe']('SELECT 1');
  await prisma.$queryRaw(Prisma.raw(table));
  await prisma.$queryRaw(Prisma.sql(['SELECT ', ''], slug));
}
`;

const SAFE = `
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
export async function run(prisma: PrismaClient, slug: string): Promise<void> {
  await prisma.$queryRaw\`SELECT id FROM meeting WHERE slug = \${slug}\`;
  await prisma.$queryRaw(Prisma.sql\`SELECT id FROM meeting WHERE slug = \${slug}\`);
}
`;

const rawSql = (messages: Message[]) => messages.filter((message) => message.ruleId === 'no-restricted-syntax');

test('string-built SQL is refused outside src/db/sql.ts, each use at its line', () => {
  const messages = rawSql(lint(RAW, 'src/modules/meetings/meeting.service.ts'));
  expect(messages).toHaveLength(5);
  expect(messages[0].message).toMatch(/SQL text only through src\/db\/sql\.ts/);
  expect(rawSql(lint(RAW, 'scripts/export.ts'))).toHaveLength(5);
});

test('src/db/sql.ts, the one door, may use them', () => {
  expect(rawSql(lint(RAW.replace("'../../generated/prisma/client'", "'../generated/prisma/client'"), 'src/db/sql.ts'))).toEqual([]);
});

test('tagged templates (bind parameters) pass everywhere', () => {
  expect(lint(SAFE, 'src/modules/meetings/meeting.service.ts')).toEqual([]);
});
