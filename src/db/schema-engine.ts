/**
 * Prisma's own schema engine, run as WebAssembly (`@prisma/schema-engine-wasm`, the same engine
 * the CLI downloads as a native binary, which this machine cannot fetch). It authors
 * migrations and checks them against schema.prisma; applying them at start-up is left to the
 * lighter runner in migrate.ts.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import {
  ColumnTypeEnum,
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQueryable,
} from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm' with { 'resolution-mode': 'import' };
import { MIGRATIONS_DIR, SCHEMA_FILE } from '../paths';

// @types/node 20 does not declare the WebAssembly global; this is the one call used here.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

const NO_FILTER = { externalTables: [], externalEnums: [] };

let lastPanic: { message: string } | undefined;

/** A WebAssembly panic surfaces as "unreachable"; the engine's own message is kept aside. */
export function engineFailure(error: unknown): Error {
  if (error instanceof Error && error.message === 'unreachable' && lastPanic?.message) {
    return new Error(`Prisma schema engine panicked: ${lastPanic.message}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

export async function openSchemaEngine(databaseUrl: string, schemaFile = SCHEMA_FILE): Promise<SchemaEngine> {
  const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmFile = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
  // Node 20 cannot import a .wasm module, so the glue module is wired to it by hand.
  const { instance } = await WebAssembly.instantiate(await readFile(wasmFile), {
    './schema_engine_bg.js': bg,
  });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  const panic = {
    message: '',
    set_message(message: string) {
      this.message = message;
    },
  };
  (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY = panic;
  lastPanic = panic;

  const schema = await readFile(schemaFile, 'utf8');
  const adapter = bindMigrationAwareSqlAdapterFactory(new EngineAdapterFactory(pgFields(databaseUrl)));
  return bg.SchemaEngine.new({ datamodels: [[schemaFile, schema]] }, () => undefined, adapter);
}

const NAME_OID = 19;
const CHAR_OID = 18;
const TEXT_OID = 25;
/** Result rows → indexes of their `"char"` columns, noted by the client for the adapter wrapper. */
const charColumns = new WeakMap<object, number[]>();

/**
 * The engine reads PostgreSQL's catalog, whose `name` and `"char"` columns the adapter cannot
 * map ("Column type 'char' could not be deserialized"). pg already returns both as strings, so
 * they are relabelled as text here; `"char"` columns are remembered, because the engine insists
 * on reading those as single characters (see withCharColumns).
 */
class CatalogTextClient extends pg.Client {
  override query(...args: unknown[]): never {
    const retype = <R>(result: R): R => {
      const { fields = [], rows } = (result ?? {}) as { fields?: { dataTypeID: number }[]; rows?: object };
      const chars: number[] = [];
      fields.forEach((field, index) => {
        if (field.dataTypeID === CHAR_OID) chars.push(index);
        if (field.dataTypeID === CHAR_OID || field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
      });
      if (chars.length && rows) charColumns.set(rows, chars);
      return result;
    };
    const callback = args[args.length - 1];
    if (typeof callback === 'function') {
      args[args.length - 1] = (error: unknown, result: unknown) => callback(error, result && retype(result));
    }
    const returned = (super.query as (...a: unknown[]) => unknown)(...args);
    return (returned instanceof Promise ? returned.then(retype) : returned) as never;
  }
}

type Queryable = Pick<SqlQueryable, 'queryRaw'>;

function withCharColumns<T extends Queryable>(queryable: T): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const index of charColumns.get(result.rows) ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  };
  return queryable;
}

/**
 * @prisma/adapter-pg 7.10.0's executeScript splits a migration on every ";" — inside function
 * bodies too — so a migration that defines a PL/pgSQL function cannot be replayed. A script
 * sent as one simple query is split by PostgreSQL itself, which knows its own quoting.
 */
function withWholeScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const internals = adapter as unknown as { client: { query(sql: string): Promise<unknown> }; onError(error: unknown): never };
  adapter.executeScript = async (script) => {
    try {
      await internals.client.query(script);
    } catch (error) {
      internals.onError(error);
    }
  };
  return adapter;
}

async function connectWithCharColumns(factory: PrismaPg): Promise<SqlDriverAdapter> {
  const adapter = withWholeScripts(withCharColumns(await factory.connect()));
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => withCharColumns(await startTransaction(isolationLevel));
  return adapter;
}

const ignorePoolError = () => undefined;

/**
 * The adapter factory the engine runs on. Its shadow database differs from stock PrismaPg's:
 * @prisma/adapter-pg 7.10.0 drops the shadow database before closing the pool that uses it, so
 * PostgreSQL refuses ("being accessed by other users") and every diff from the migrations folder
 * fails. Here the pool is closed first.
 */
class EngineAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres';
  readonly adapterName = '@prisma/adapter-pg';

  constructor(private readonly config: PgFields) {}

  connect() {
    return connectWithCharColumns(new PrismaPg(this.config, { onPoolError: ignorePoolError }));
  }

  async connectToShadowDb() {
    const admin = await this.connect();
    const database = `prisma_migrate_shadow_db_${randomUUID().replace(/-/g, '')}`;
    await admin.executeScript(`CREATE DATABASE "${database}"`);
    const shadow = await connectWithCharColumns(new PrismaPg({ ...this.config, database }, { onPoolError: ignorePoolError }));
    const closeShadow = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await closeShadow();
      await admin.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.dispose();
    };
    return shadow;
  }
}

/**
 * Discrete fields rather than a connection string: the adapter makes its shadow database by
 * overriding `database`, which pg ignores when a connection string is present, so the
 * migrations would otherwise be replayed into the main database.
 */
type PgFields = ReturnType<typeof pgFields>;

function pgFields(databaseUrl: string) {
  const url = new URL(databaseUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)),
    Client: CatalogTextClient,
  };
}

export async function loadMigrationList(): Promise<MigrationList> {
  const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }).catch(() => []))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const lockfile = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: 'migration_lock.toml', content: await readFile(lockfile, 'utf8').catch(() => null) },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: await readFile(path.join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8').then(
            (ok) => ({ tag: 'ok' as const, value: ok }),
            (error: Error) => ({ tag: 'error' as const, value: error.message }),
          ),
        },
      })),
    ),
  };
}

/** SQL that takes a database built from the committed migrations to what schema.prisma says. */
export async function diffMigrationsToSchema(engine: SchemaEngine, schemaFile = SCHEMA_FILE): Promise<string> {
  const schema = await readFile(schemaFile, 'utf8');
  const migrations = await loadMigrationList();
  const result = await engine
    .diff({
      // The engine refuses an empty migrations folder (it reads the provider from its lock file).
      from: migrations.migrationDirectories.length ? { tag: 'migrations', ...migrations } : { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaFile, content: schema }] },
      script: true,
      exitCode: true,
      filters: NO_FILTER,
    })
    .catch((error: unknown) => {
      throw engineFailure(error);
    });
  return result.exitCode === 2 ? (result.stdout ?? '') : '';
}

/**
 * What `prisma migrate status` reports, from the same engine call the CLI makes
 * (diagnoseMigrationHistory without a shadow database): migrations not applied, failed or edited.
 */
export async function migrateStatus(engine: SchemaEngine): Promise<{ upToDate: boolean; report: string }> {
  const migrationsList = await loadMigrationList();
  const result = await engine
    .diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTER })
    .catch((error: unknown) => {
      throw engineFailure(error);
    });
  const lines: string[] = [];
  const history = result.history as { diagnostic: string; unappliedMigrationNames?: string[]; unpersistedMigrationNames?: string[] } | null;
  if (!result.hasMigrationsTable) lines.push('The database has no _prisma_migrations table: no migration was ever applied.');
  if (history?.unappliedMigrationNames?.length) lines.push(`Not yet applied: ${history.unappliedMigrationNames.join(', ')}`);
  if (history?.unpersistedMigrationNames?.length)
    lines.push(`Applied but missing from prisma/migrations: ${history.unpersistedMigrationNames.join(', ')}`);
  if (history && !history.unappliedMigrationNames?.length && !history.unpersistedMigrationNames?.length)
    lines.push(`Migration history: ${history.diagnostic}`);
  if (result.failedMigrationNames.length) lines.push(`Failed: ${result.failedMigrationNames.join(', ')}`);
  if (result.editedMigrationNames.length) lines.push(`Edited after they were applied: ${result.editedMigrationNames.join(', ')}`);
  const upToDate = lines.length === 0;
  return {
    upToDate,
    report: upToDate ? `${migrationsList.migrationDirectories.length} migrations found; database schema is up to date.` : lines.join('\n'),
  };
}

/** What `prisma migrate deploy` does: applies the pending migrations, with Prisma's own engine. */
export async function migrateDeploy(engine: SchemaEngine): Promise<string[]> {
  const migrationsList = await loadMigrationList();
  const result = await engine.applyMigrations({ migrationsList, filters: NO_FILTER }).catch((error: unknown) => {
    throw engineFailure(error);
  });
  return result.appliedMigrationNames;
}
