/**
 * The pages for people exploring the API, in headless Chromium with every request to anything
 * but this machine blocked (as on a machine with no internet): the start page, the explorer
 * (GraphiQL served by the service) running queries, with an API key and a subscription, and
 * showing the schema's docs, and Apollo Sandbox's page pointing to the explorer when its CDN
 * cannot be reached.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import pg from 'pg';
import { ChangeFeed } from '../src/db/change-feed';
import { createLogger } from '../src/common/logger';
import { createApiKey } from '../src/modules/auth/api-key.service';
import { eventually, launchBrowser, offline, watchPage, type PageProblems } from './helpers/browser';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startHttpApp, type HttpApp } from './helpers/http-app';

let db: TestDatabase;
let feed: ChangeFeed;
let api: HttpApp;
let browser: Browser;
let context: BrowserContext;
let blocked: string[];
let adminKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  adminKey = (await createApiKey(db.prisma, 'explorer admin', 'ADMIN')).key;
  feed = new ChangeFeed(db.url, createLogger('silent'));
  await feed.start();
  api = await startHttpApp({ prisma: db.prisma, databaseUrl: db.url, changeFeed: feed });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  blocked = await offline(context);
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await api?.stop();
  await feed?.stop();
  await db?.drop();
});

/** The text a Monaco editor shows (its visible lines; Monaco draws spaces as no-break spaces). */
const editorText = async (page: Page, container: string) =>
  (await page.locator(`${container} .view-lines`).first().innerText()).replace(/\u00a0/g, ' ');
const responseText = (page: Page) => editorText(page, '.graphiql-response');

async function openExplorer(): Promise<{ page: Page; problems: PageProblems }> {
  const page = await context.newPage();
  const problems = watchPage(page);
  await page.goto(`${api.origin}/explorer`);
  await page.locator('.graphiql-execute-button').waitFor({ timeout: 20_000 });
  // The schema is loaded once the docs can list the root types.
  return { page, problems };
}

/** Replaces the text of the editor in `container` by typing (Monaco closes brackets itself and types over them). */
async function typeInto(page: Page, container: string, text: string): Promise<void> {
  await page.locator(`${container} .monaco-editor`).filter({ visible: true }).first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text);
}

test('the start page offers the explorer and Apollo Sandbox, and leads to the explorer', async () => {
  const page = await context.newPage();
  await page.goto(`${api.origin}/`);
  await expectVisible(page.getByRole('link', { name: 'Explorer' }));
  await expectVisible(page.getByRole('link', { name: 'Apollo Sandbox' }));
  await expectVisible(page.getByRole('link', { name: 'Dashboard' }));
  await page.getByRole('link', { name: 'Explorer' }).click();
  await page.locator('.graphiql-execute-button').waitFor({ timeout: 20_000 });
  expect(new URL(page.url()).pathname).toBe('/explorer');
  await page.close();
});

test('offline, the explorer renders the README examples, runs a query, shows the result and the schema docs', async () => {
  const { page, problems } = await openExplorer();
  expect(await editorText(page, '.graphiql-query-editor')).toMatch(
    /Example operations from the README[\s\S]*query MilitaryChannelMeetings/,
  );
  await typeInto(page, '.graphiql-query-editor', 'query Military { channel(slug: "military") { name } }');
  await operationReady(page, 'Military');
  await page.locator('.graphiql-execute-button').click();
  expect(
    await eventually(
      () => responseText(page),
      (text) => /"name": "Military"/.test(text),
      10_000,
    ),
  ).toMatch(/"name": "Military"/);

  await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
  const docs = page.locator('.graphiql-doc-explorer');
  expect(
    await eventually(
      () => docs.innerText(),
      (text) => /query: Query[\s\S]*subscription: Subscription/.test(text),
      10_000,
    ),
  ).toMatch(/query: Query[\s\S]*subscription: Subscription/);
  await docs.getByText('Query', { exact: true }).first().click();
  expect(
    await eventually(
      () => docs.innerText(),
      (text) => /meetings[\s\S]*stats/.test(text),
      10_000,
    ),
  ).toMatch(/meetings[\s\S]*stats/);

  expect(problems.errors).toEqual([]);
  expect(blocked).toEqual([]);
  await page.close();
});

test('an API key typed under Headers goes with the request', async () => {
  const { page, problems } = await openExplorer();
  await typeInto(page, '.graphiql-query-editor', 'query Audit { changes(first: 1) { totalCount } }');
  await typeInto(page, '.graphiql-editor-tool', `{"Authorization": "Bearer ${adminKey}"}`);
  await operationReady(page, 'Audit');
  await page.locator('.graphiql-execute-button').click();
  expect(
    await eventually(
      () => responseText(page),
      (text) => /"totalCount": \d+/.test(text),
      10_000,
    ),
  ).toMatch(/"totalCount": \d+/);
  expect(problems.errors).toEqual([]);
  await page.close();
});

test('the subscriptions tab runs a subscription over WebSocket and shows events as writes commit', async () => {
  const { page, problems } = await openExplorer();
  const line = page.locator('.graphiql-query-editor .view-line').filter({ hasText: /subscription\s+DataChanged/ });
  // A click on a tab while GraphiQL is still settling after its first render can be lost: retry.
  for (let attempt = 0; attempt < 5 && !(await line.isVisible()); attempt++) {
    await page.locator('.graphiql-tab-button', { hasText: 'DataChanged' }).click();
    await line.waitFor({ timeout: 2_000 }).catch(() => undefined);
  }
  // Several operations: Ctrl-Enter runs the one under the cursor.
  await line.click();
  await page.keyboard.press('Control+Enter');
  expect(
    await eventually(
      () => api.app.subscriptions!.listeners,
      (value) => value === 1,
      10_000,
    ),
  ).toBe(1);
  const writer = new pg.Client({ connectionString: db.url });
  await writer.connect();
  try {
    await writer.query("UPDATE meeting SET summary = 'seen live in the explorer' WHERE slug = '2024-04-02-biden-xi-call'");
  } finally {
    await writer.end();
  }
  expect(
    await eventually(
      () => responseText(page),
      (text) => /"slug": "2024-04-02-biden-xi-call"/.test(text),
      10_000,
    ),
  ).toMatch(/"slug": "2024-04-02-biden-xi-call"/);
  expect(problems.errors).toEqual([]);
  expect(blocked).toEqual([]);
  await page.close();
});

test('offline, Apollo Sandbox cannot load, and its page points to the explorer instead of a dead end', async () => {
  const page = await context.newPage();
  await page.goto(`${api.origin}/graphql`);
  const link = page.getByRole('link', { name: /explorer served by this service/ });
  await expectVisible(link);
  expect(new URL((await link.getAttribute('href'))!, page.url()).pathname).toBe('/explorer');
  // It tried Apollo's CDN (and the fonts Sandbox uses): the only requests that left, and were blocked.
  expect(blocked.some((url) => /apollographql\.com/.test(url))).toBe(true);
  expect(blocked.filter((url) => !/\.(apollographql\.com|googleapis\.com|gstatic\.com)\//.test(url))).toEqual([]);
  blocked.length = 0;
  await page.close();
});

/** GraphiQL takes in an edit after a short delay; its tab is named after the operation once it has. */
async function operationReady(page: Page, name: string): Promise<void> {
  await page.locator('.graphiql-tab-button', { hasText: name }).waitFor({ timeout: 10_000 });
  // The headers editor's text is taken in with the same delay.
  await page.waitForTimeout(300);
}

async function expectVisible(locator: ReturnType<Page['locator']>): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout: 10_000 });
}
