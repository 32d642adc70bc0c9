/**
 * The pages a person opens in a browser, served by the service itself:
 * - `/`: what is here, with links to each of the below;
 * - `/explorer`: GraphiQL, built from npm packages into dist/web (web/explorer), which works
 *   with no internet access (EXPLORER);
 * - `/dashboard`: charts and a table of the data set, live (web/dashboard), a client of the
 *   public API only;
 * - Apollo Sandbox stays at GET /graphql (sandbox-landing-page.ts), for those online.
 *
 * Each page gets a Content-Security-Policy of its own, as narrow as it can work with: the API's
 * responses keep theirs, which allows nothing. Nothing a page loads leaves the origin.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type RequestHandler, type Response } from 'express';
import { PROJECT_ROOT } from '../paths';
import { landingPageHtml, missingBuildHtml } from './landing-page';

export const WEB_DIST = path.join(PROJECT_ROOT, 'dist', 'web');
/** The README's example operations, extracted when the explorer is built (web/readme-examples.ts). */
export const EXAMPLES_FILE = path.join(WEB_DIST, 'examples.graphql');

const base = ["frame-ancestors 'none'", "base-uri 'self'", "form-action 'none'", "object-src 'none'"];

/** Policies per page. `'self'` in connect-src covers the same origin's ws:/wss: (CSP level 3). */
export const PAGE_POLICIES = {
  landing: ["default-src 'none'", "style-src 'unsafe-inline'", "img-src 'self' data:", ...base].join('; '),
  // Monaco (GraphiQL's editor) runs its language services in workers and sets styles inline.
  explorer: [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    "connect-src 'self'",
    ...base,
  ].join('; '),
  // Observable Plot writes a <style> element into each chart.
  dashboard: [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    ...base,
  ].join('; '),
} as const;

export interface PageOptions {
  /** EXPLORER: the explorer and Apollo Sandbox. */
  explorer: boolean;
  /** Where the built pages are (tests may point elsewhere). */
  dist?: string;
}

export function mountPages(app: Express, options: PageOptions): void {
  const dist = options.dist ?? WEB_DIST;
  app.get('/', (_req, res) => sendHtml(res, landingPageHtml({ explorer: options.explorer }), PAGE_POLICIES.landing));
  if (options.explorer) app.get('/explorer', builtPage(dist, 'explorer', PAGE_POLICIES.explorer));
  app.get('/dashboard', builtPage(dist, 'dashboard', PAGE_POLICIES.dashboard));
  // The pages find the API and their assets relative to their own URL, which has no trailing slash.
  app.get(['/explorer/', '/dashboard/'], (req, res) => res.redirect(301, `../${req.path.replace(/\//g, '')}`));
  // Bundles, workers and styles: content-hashed names, so cached for good.
  app.use(
    '/assets',
    express.static(path.join(dist, 'assets'), {
      index: false,
      immutable: true,
      maxAge: '365d',
      fallthrough: true,
      setHeaders: (res, file) => {
        // A worker's policy comes from its own response.
        if (file.endsWith('.js')) res.setHeader('content-security-policy', PAGE_POLICIES.explorer);
      },
    }),
  );
}

/** The README's examples as the explorer's default document, or undefined before a build. */
export function readExamples(file = EXAMPLES_FILE): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function builtPage(dist: string, name: 'explorer' | 'dashboard', policy: string): RequestHandler {
  const file = path.join(dist, `${name}.html`);
  return (_req, res) => {
    // Read each time (a small file): `npm run dev` rebuilds it, with new asset names, while the
    // server runs. A page not built yet gets a page saying so, never a blank one.
    const html = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (html === undefined) {
      sendHtml(res.status(503), missingBuildHtml(name), PAGE_POLICIES.landing);
      return;
    }
    sendHtml(res, html, policy);
  };
}

function sendHtml(res: Response, html: string, policy: string): void {
  res.setHeader('content-security-policy', policy);
  res.setHeader('cache-control', 'no-cache');
  res.type('html').send(html);
}
