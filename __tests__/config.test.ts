import { loadConfig } from '../src/config';

test('defaults describe the embedded, development set-up', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({ port: 4000, databaseUrl: undefined, nodeEnv: 'development', isDevelopment: true, seedOnEmpty: true });
  expect(config.dataDir).toMatch(/\.data$/);
});

test('bad values stop start-up with a message naming every variable at fault', () => {
  expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', NODE_ENV: 'staging' })).toThrow(
    /PORT[\s\S]*DATABASE_URL: must be a postgres|DATABASE_URL[\s\S]*PORT/,
  );
  try {
    loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', NODE_ENV: 'staging' });
  } catch (error) {
    const message = (error as Error).message;
    for (const name of ['PORT', 'DATABASE_URL', 'NODE_ENV']) expect(message).toContain(name);
  }
});

test('empty variables count as unset', () => {
  expect(loadConfig({ DATABASE_URL: '', PORT: '' })).toMatchObject({ databaseUrl: undefined, port: 4000 });
});
