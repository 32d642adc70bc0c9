/**
 * The pages over HTTP: what each route answers, the Content-Security-Policy of each (the API's
 * stays closed), and the README's examples in the explorer's first tab, every one of them a
 * valid operation of the schema.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, validate, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { buildAppSchema } from '../src/schema';
import { PROJECT_ROOT } from '../src/paths';
import express from 'express';
import { EXAMPLES_FILE, PAGE_POLICIES, mountPages } from '../src/web/pages';
import { withOfflineHelp } from '../src/web/sandbox-landing-page';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startHttpApp, type HttpApp } from './helpers/http-app';

let db: TestDatabase;
let api: HttpApp;

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startHttpApp({ prisma: db.prisma });
});
afterAll(async () => {
  await api?.stop();
  await db?.drop();
});

test('GET / is a start page linking the explorer, Apollo Sandbox and the dashboard', async () => {
  const response = await fetch(`${api.origin}/`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/text\/html/);
  const html = await response.text();
  expect(html).toMatch(/href="explorer"/);
  expect(html).toMatch(/href="graphql">Apollo Sandbox/);
  expect(html).toMatch(/href="dashboard"/);
});

test.each([
  ['/explorer', PAGE_POLICIES.explorer, /id="graphiql"/],
  ['/dashboard', PAGE_POLICIES.dashboard, /id="outcomes-chart"/],
])('%s is served from the build, with a policy of its own', async (route, policy, marker) => {
  const response = await fetch(`${api.origin}${route}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-security-policy')).toBe(policy);
  const html = await response.text();
  expect(html).toMatch(marker);
  // Its scripts are ours, on this origin.
  const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const src of scripts) {
    expect(src).toMatch(/^\.\/assets\//);
    const asset = await fetch(new URL(src, `${api.origin}${route}`));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
  }
});

test('the pages may not load anything from elsewhere, and the API still allows nothing', async () => {
  for (const policy of Object.values(PAGE_POLICIES)) {
    expect(policy).not.toMatch(/https?:|\*/);
    expect(policy).toMatch(/frame-ancestors 'none'/);
  }
  const response = await api.post({ query: '{ channels { slug } }' });
  expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
});

test('a page not built yet says so instead of showing a blank page', async () => {
  const app = express();
  mountPages(app, { explorer: true, dist: path.join(PROJECT_ROOT, 'no-such-build') });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/dashboard`);
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/not built yet[\s\S]*npm run build/);
  } finally {
    server.close();
  }
});

test("Apollo Sandbox's offline message leads to the explorer", () => {
  const apollo =
    '<div class="fallback">\n  <h1>Welcome to Apollo Server</h1>\n  <p>Apollo Sandbox cannot be loaded; it appears that you might be offline.</p>\n</div>';
  expect(withOfflineHelp(apollo)).toMatch(/<a href="explorer">/);
  expect(withOfflineHelp('<div class="fallback"><p>Reworded.</p></div>')).toMatch(/<a href="explorer">[\s\S]*Reworded/);
});

describe("the explorer's first tab: the README's examples", () => {
  let examples: DocumentNode;
  beforeAll(() => {
    examples = parse(readFileSync(EXAMPLES_FILE, 'utf8'));
  });

  test('every operation is valid against the schema', async () => {
    expect(validate(await buildAppSchema(), examples)).toEqual([]);
  });

  test('every graphql block of the README is there, operation for operation', () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    // Compared without operation names: the explorer names the README's anonymous operations.
    const unnamed = (document: DocumentNode) =>
      document.definitions
        .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
        .map((operation) => print({ ...operation, name: undefined }));
    const inReadme = [...readme.matchAll(/^```graphql\n([\s\S]*?)^```/gm)].flatMap((match) => unnamed(parse(match[1])));
    expect(inReadme.length).toBeGreaterThan(10);
    expect(unnamed(examples)).toEqual(inReadme);
  });
});
