/**
 * Headless Chromium for the browser tests, from the npm registry: @sparticuz/chromium ships a
 * build (compressed) inside its package, and playwright-core drives it. Nothing is downloaded
 * at run time, so `npm install && npm test` works on a machine with only Node and npm. When no
 * browser can be had, launching throws and the test fails: browser tests are never skipped.
 *
 * The package's recommended flags (`chromium.args`) are not used: they include
 * --disable-web-security, which switches CORS off, and --single-process. These flags keep
 * Chromium off the network it has no business reaching (update checks, sync, field trials), so
 * that tests see only the requests pages make.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/paths';

const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-domain-reliability',
  '--disable-dev-shm-usage',
  '--no-zygote',
];

let executable: Promise<string> | undefined;

/**
 * The browser binary, unpacked once per version. The package unpacks into the system's temporary
 * folder (/tmp/chromium) and reuses whatever is there, of any version; pointing TMPDIR at a
 * folder of our own, named after the package's version, in a child process, keeps ours apart.
 * Test files run in parallel workers: each unpacks into a folder of its own and renames it into
 * place, so that none ever starts a half-written browser.
 */
export function chromiumExecutable(): Promise<string> {
  executable ??= (async () => {
    // Its package.json is not exported: read it from beside the entry point.
    const entry = require.resolve('@sparticuz/chromium');
    const manifest = path.join(entry.slice(0, entry.lastIndexOf(`${path.sep}build${path.sep}`)), 'package.json');
    const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
    const dir = path.join(PROJECT_ROOT, 'node_modules', '.cache', `sparticuz-chromium-${version}`);
    const binary = path.join(dir, 'chromium');
    if (existsSync(binary)) return binary;
    const partial = `${dir}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    const script = "const c = require('@sparticuz/chromium'); (c.default ?? c).executablePath().then((p) => process.stdout.write(p))";
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, TMPDIR: partial },
      timeout: 120_000,
    });
    if (stdout !== path.join(partial, 'chromium'))
      throw new Error(`@sparticuz/chromium unpacked its browser to ${stdout}, not under ${partial}`);
    try {
      renameSync(partial, dir);
    } catch (error) {
      // Another worker got there first: use its copy.
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(binary)) throw error;
    }
    return binary;
  })();
  return executable;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumExecutable(), headless: true, args: CHROMIUM_FLAGS, timeout: 30_000 });
}

/** What a page reported: console errors and uncaught exceptions, and requests that failed. */
export interface PageProblems {
  errors: string[];
  failedRequests: string[];
}

export function watchPage(page: Page): PageProblems {
  const problems: PageProblems = { errors: [], failedRequests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.errors.push(message.text());
  });
  page.on('pageerror', (error) => problems.errors.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`),
  );
  return problems;
}

/**
 * Every request to anything but this machine is aborted and recorded: what a page does with no
 * internet access, and proof that it asked for nothing outside.
 */
export async function offline(context: BrowserContext): Promise<string[]> {
  const blocked: string[] = [];
  await context.route(
    (url) => !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && url.protocol !== 'data:' && url.protocol !== 'blob:',
    (route) => {
      blocked.push(route.request().url());
      return route.abort('internetdisconnected');
    },
  );
  return blocked;
}

/**
 * Reads `read()` until `done` holds or `timeoutMs` passes, and returns the last value read, for
 * an expectation to report when it never came.
 */
export async function eventually<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
