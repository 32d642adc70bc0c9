// ESLint (flat config) with typescript-eslint: `npm run lint` runs it with Prettier's check.
// Formatting is Prettier's business (.prettierrc.json); eslint-config-prettier turns off every
// ESLint rule that would argue with it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * SQL text enters through one door, src/db/sql.ts (pg-sql2's `sql.raw` rule): everywhere else SQL
 * is a tagged template whose values are bind parameters. __tests__/sql-door.test.ts checks the
 * same by reading the sources; this rule says so in the editor, at the line.
 */
const RAW_SQL = [
  {
    selector: 'MemberExpression[property.name=/^\\$(queryRawUnsafe|executeRawUnsafe)$/]',
    message: 'SQL text only through src/db/sql.ts: use $queryRaw/$executeRaw with a tagged template, or a builder from src/db/sql.ts.',
  },
  {
    selector: 'MemberExpression[computed=true][property.value=/^\\$(queryRawUnsafe|executeRawUnsafe)$/]',
    message: 'SQL text only through src/db/sql.ts: use $queryRaw/$executeRaw with a tagged template, or a builder from src/db/sql.ts.',
  },
  {
    selector: "MemberExpression[object.name='Prisma'][property.name='raw']",
    message: 'Prisma.raw turns text into SQL: only src/db/sql.ts may (it builds identifiers and fragments safely).',
  },
  {
    // Prisma.sql`…` (a tagged template) binds its values; called as a function it takes SQL text.
    selector: "CallExpression[callee.object.name='Prisma'][callee.property.name='sql']",
    message: 'Prisma.sql(...) takes SQL text: use the tagged template Prisma.sql`…`, or src/db/sql.ts.',
  },
];

export default tseslint.config(
  {
    ignores: ['dist/', 'coverage/', '.data/', '**/node_modules/', 'src/generated/', 'examples/generated/', 'bench/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed names say "unused on purpose" (a callback's position, a rest sibling).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Tests and type-graphql's resolvers read untyped JSON and GraphQL results on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      // `x!` after a check TypeScript cannot follow (a Map.get after has) is a deliberate assertion.
      '@typescript-eslint/no-non-null-assertion': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
  {
    // A promise nobody awaits loses its errors (STYLE.md): these rules need the types, so they
    // run on the code TypeScript's project covers.
    files: ['src/**/*.ts', 'scripts/**/*.ts', '__tests__/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
    },
  },
  {
    files: ['src/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['src/db/sql.ts'],
    rules: { 'no-restricted-syntax': ['error', ...RAW_SQL] },
  },
  {
    // Plain CommonJS scripts (test fixtures run by node itself).
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['web/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Type-graphql declares schema types as classes with decorators; declaration merging of an
    // interface and a class of one name is how a few of them add fields.
    files: ['src/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-declaration-merging': 'off' },
  },
  prettier,
);
