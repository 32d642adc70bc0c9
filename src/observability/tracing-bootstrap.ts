/**
 * The server's first import (index.ts): reads the .env file, then starts tracing if the
 * environment asks for it, before `http`, `pg` or anything that loads them is imported, so that
 * the instrumentations can patch them (tracing.ts). Only Node built-ins are loaded before that.
 */
import { loadEnvFile, type EnvFileResult } from '../env-file';
import { startTracingFromEnvironment, type Tracing } from './tracing';

let envFileResult: EnvFileResult | undefined;
let tracingResult: Tracing | undefined;
let failure: Error | undefined;
try {
  envFileResult = loadEnvFile();
  tracingResult = startTracingFromEnvironment();
} catch (error) {
  // Reported by index.ts as a start-up failure, like any other bad setting.
  failure = error as Error;
}

/** What the .env file set (index.ts reports it once the logger exists), and tracing if it runs. */
export function bootstrapped(): { envFile: EnvFileResult; tracing: Tracing | undefined } {
  if (failure) throw failure;
  return { envFile: envFileResult!, tracing: tracingResult };
}
