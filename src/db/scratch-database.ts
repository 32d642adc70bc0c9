/**
 * Throw-away databases on an existing server: tests and migration authoring use them so that
 * they never touch data that was there before them.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface ScratchDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(
  serverUrl: string,
  options: { prefix?: string; template?: string } = {},
): Promise<ScratchDatabase> {
  const name = `${options.prefix ?? 'uscn_scratch'}_${randomBytes(5).toString('hex')}`;
  await withAdminClient(serverUrl, (client) =>
    client.query(`CREATE DATABASE "${name}"${options.template ? ` TEMPLATE "${options.template}"` : ''}`),
  );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => dropDatabase(serverUrl, name),
  };
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  // WITH (FORCE) ends sessions a failed test may have left open (PostgreSQL 13+).
  await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

async function withAdminClient<T>(serverUrl: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
