import { startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { createScratchDatabase } from '../src/db/scratch-database';
import { diffMigrationsToSchema, openSchemaEngine } from '../src/db/schema-engine';
import { Client } from 'pg';
(async () => {
  const server = await startEmbeddedPostgres();
  const scratch = await createScratchDatabase(server.url);
  const engine = await openSchemaEngine(scratch.url);
  const sql = await diffMigrationsToSchema(engine);
  console.log('sql', JSON.stringify(sql).slice(0, 200));
  const c = new Client(server.url); await c.connect();
  console.log((await c.query("select datname, (select count(*) from pg_stat_activity a where a.datname=d.datname) from pg_database d")).rows);
  engine.free();
  await new Promise(r => setTimeout(r, 500));
  console.log((await c.query("select datname, (select count(*) from pg_stat_activity a where a.datname=d.datname) from pg_database d")).rows);
  await c.end();
  await scratch.drop();
  await server.stop();
})();
