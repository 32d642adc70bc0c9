import { loadConfig } from '../src/config';

test('defaults describe the embedded set-up, in production mode: no error details unless asked for', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({
    port: 4000,
    databaseUrl: undefined,
    nodeEnv: 'production',
    exposeErrorDetails: false,
    seedOnEmpty: true,
    explorer: true,
  });
  expect(config.dataDir).toMatch(/\.data$/);
  expect(loadConfig({ NODE_ENV: 'development' }).exposeErrorDetails).toBe(true);
  expect(loadConfig({ NODE_ENV: 'development', EXPOSE_ERROR_DETAILS: 'false' }).exposeErrorDetails).toBe(false);
  expect(loadConfig({ EXPOSE_ERROR_DETAILS: 'true' }).exposeErrorDetails).toBe(true);
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

test('CORS_ORIGINS: "*" by default, "none", or a list of origins; anything else stops start-up', () => {
  expect(loadConfig({}).corsOrigins).toBe('*');
  expect(loadConfig({ CORS_ORIGINS: 'none' }).corsOrigins).toEqual([]);
  expect(loadConfig({ CORS_ORIGINS: 'https://dash.example.org, http://localhost:3000/' }).corsOrigins).toEqual([
    'https://dash.example.org',
    'http://localhost:3000',
  ]);
  expect(() => loadConfig({ CORS_ORIGINS: 'dash.example.org' })).toThrow(/CORS_ORIGINS/);
  expect(() => loadConfig({ CORS_ORIGINS: 'https://dash.example.org/app' })).toThrow(/CORS_ORIGINS/);
});
