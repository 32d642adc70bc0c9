/**
 * Runs the built service (`node dist/src/index.js`, as in production) as a child process and
 * waits for it to say it is ready. `npm test` builds dist/ first. The service logs JSON lines on
 * stdout; `output()` is everything it wrote, both streams, and `logLines()` the parsed JSON lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../src/db/embedded-postgres';
import { PROJECT_ROOT } from '../../src/paths';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  logLines: () => Array<Record<string, any>>;
  exited: Promise<number | null>;
}

export interface ServerProcessOptions {
  /**
   * Its own process group (as a shell's job), so that a test can signal the whole group the way
   * a terminal's Ctrl-C does: `process.kill(-child.pid, 'SIGINT')`.
   */
  processGroup?: boolean;
}

export async function startServerProcess(
  env: Record<string, string | undefined>,
  timeoutMs = 60_000,
  cwd?: string,
  options: ServerProcessOptions = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[key];
    else childEnv[key] = value;
  }
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist/src/index.js')], {
    env: childEnv,
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.processGroup ?? false,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not ready after ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = () => {
      if (output.includes('GraphQL API ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${output}`));
    });
  });
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, logLines: () => parseLogLines(output), exited };
}

/** The JSON log lines in a server's output (anything else, such as a start-up failure, is skipped). */
export function parseLogLines(output: string): Array<Record<string, any>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, any>];
      } catch {
        return [];
      }
    });
}

export async function postGraphQL(url: string, query: string, variables?: object) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as any };
}
