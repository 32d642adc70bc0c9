/**
 * A `.env` file in the working directory (where `npm start` runs: the project's root), read at
 * start-up by the service and the command-line tools before the configuration is validated. A
 * variable already set in the real environment wins over the file, so that a deployment's
 * settings and one-off overrides (`PORT=5000 npm start`) are never silently replaced by a file
 * someone left behind. Node's own parser (`util.parseEnv`, the one behind `--env-file`) reads it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

export interface EnvFileResult {
  /** The file read, or undefined when there was none. */
  file: string | undefined;
  /** Variables taken from the file (those not already set). */
  applied: string[];
  /** Variables in the file that the real environment overrode. */
  overridden: string[];
}

export function loadEnvFile(file = path.resolve('.env'), env: NodeJS.ProcessEnv = process.env): EnvFileResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file: undefined, applied: [], overridden: [] };
    throw new Error(`Cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  const applied: string[] = [];
  const overridden: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (value === undefined) continue;
    if (env[name] !== undefined) {
      overridden.push(name);
      continue;
    }
    env[name] = value;
    applied.push(name);
  }
  return { file, applied, overridden };
}
