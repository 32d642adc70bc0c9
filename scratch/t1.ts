import { startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { Client } from 'pg';
(async () => {
  const t = Date.now();
  const pg = await startEmbeddedPostgres({ log: () => {} });
  console.log('started', Date.now() - t, pg.url);
  const c = new Client(pg.url); await c.connect();
  console.log((await c.query('select version()')).rows[0]);
  await c.end();
  await pg.stop();
  console.log('stopped', Date.now() - t);
})();
