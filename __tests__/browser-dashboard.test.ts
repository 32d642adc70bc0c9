/**
 * The dashboard at /dashboard in headless Chromium: it renders the seed data, what it draws is
 * what `stats` returns, it follows a write without a reload (through the subscription), and it
 * logs no errors. `UPDATE_SCREENSHOTS=1 npm test` also rewrites the README's screenshot
 * (docs/dashboard.png).
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ChangeFeed } from '../src/db/change-feed';
import { createLogger } from '../src/common/logger';
import { createApiKey } from '../src/modules/auth/api-key.service';
import { PROJECT_ROOT } from '../src/paths';
import { eventually, launchBrowser, offline, watchPage, type PageProblems } from './helpers/browser';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startHttpApp, type HttpApp } from './helpers/http-app';

let db: TestDatabase;
let feed: ChangeFeed;
let api: HttpApp;
let browser: Browser;
let page: Page;
let problems: PageProblems;
let blocked: string[];
let editorKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  editorKey = (await createApiKey(db.prisma, 'dashboard test editor', 'EDITOR')).key;
  feed = new ChangeFeed(db.url, createLogger('silent'));
  await feed.start();
  api = await startHttpApp({ prisma: db.prisma, databaseUrl: db.url, changeFeed: feed });
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  blocked = await offline(context);
  page = await context.newPage();
  problems = watchPage(page);
  await page.goto(`${api.origin}/dashboard`);
  await page.locator('body[data-revision="1"]').waitFor({ timeout: 20_000 });
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await feed?.stop();
  await db?.drop();
});

async function graphql(query: string, variables?: object, key?: string) {
  const response = await api.post({ query, variables }, key ? { authorization: `Bearer ${key}` } : {});
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data;
}

/** The values drawn in a chart, from the aria-label each mark carries. */
const labels = (selector: string) =>
  page
    .locator(selector)
    .evaluateAll((nodes) =>
      (nodes as unknown as { getAttribute(name: string): string }[]).map((node) => node.getAttribute('aria-label')).sort(),
    );

const outcomeLabels = async () => {
  const { stats } = await graphql('{ stats(measure: OUTCOMES, groupBy: [CHANNEL, STATUS]) { channel { name } status count } }');
  return (stats as { channel: { name: string }; status: string; count: number }[])
    .map((b) => `${b.channel.name} — ${b.status}: ${b.count}`)
    .sort();
};

test('it renders the seed data: totals, charts, and the meeting table with sources', async () => {
  const data = await graphql(
    '{ meetings: stats(groupBy: []) { count } outcomes: stats(measure: OUTCOMES, groupBy: []) { count } list: meetings(first: 1) { totalCount } }',
  );
  expect(Number(await page.locator('#total-meetings').innerText())).toBe(data.meetings[0].count);
  expect(Number(await page.locator('#total-outcomes').innerText())).toBe(data.outcomes[0].count);
  expect(data.meetings[0].count).toBeGreaterThan(30);
  expect(await page.locator('#meeting-count').innerText()).toBe(`(${data.list.totalCount})`);
  expect(await page.locator('#meetings tbody tr').count()).toBe(Math.min(50, data.list.totalCount));
  // Each meeting's sources, as links to them.
  const newest = page.locator('#meetings tbody tr').first();
  expect(await newest.locator('ul.sources li').count()).toBeGreaterThan(0);
  expect(await page.locator('#timelines-chart [aria-label*=": SUSPENDED at"]').count()).toBeGreaterThan(0);
  if (process.env.UPDATE_SCREENSHOTS) {
    await page.screenshot({
      path: path.join(PROJECT_ROOT, 'docs', 'dashboard.png'),
      fullPage: true,
      clip: { x: 0, y: 0, width: 1400, height: 2000 },
    });
  }
});

test('the numbers drawn are what stats returns', async () => {
  expect(await labels('#outcomes-chart rect[aria-label]')).toEqual(await outcomeLabels());
  const { stats: perYear } = await graphql('{ stats(groupBy: [YEAR, TRACK]) { year track count } }');
  const trackName: Record<string, string> = { TRACK_1: 'Track 1', TRACK_1_5: 'Track 1.5', TRACK_2: 'Track 2' };
  expect(await labels('#years-chart circle[aria-label]')).toEqual(
    (perYear as { year: number; track: string; count: number }[]).map((b) => `${trackName[b.track]}, ${b.year}: ${b.count}`).sort(),
  );
  // Channel totals written at the end of each bar: the sum over statuses.
  const { stats: byChannel } = await graphql('{ stats(measure: OUTCOMES, groupBy: [CHANNEL]) { channel { name } count } }');
  expect(await labels('#outcomes-chart text[aria-label*=" total: "]')).toEqual(
    (byChannel as { channel: { name: string }; count: number }[]).map((b) => `${b.channel.name} total: ${b.count}`).sort(),
  );
  const { timelines } = await graphql('{ timelines { events(limit: 200) { date } } }');
  const events = (timelines as { events: unknown[] }[]).reduce((sum, t) => sum + t.events.length, 0);
  expect(await page.locator('#timelines-chart circle[aria-label]').count()).toBe(events);
});

test('the table filters through the API', async () => {
  const { meetings } = await graphql('{ meetings(filter: { channels: ["military"], tracks: [TRACK_1] }, first: 1) { totalCount } }');
  await page.locator('select[name="channel"]').selectOption('military');
  await page.locator('select[name="track"]').selectOption('TRACK_1');
  expect(
    await eventually(
      () => page.locator('#meeting-count').innerText(),
      (text) => text === `(${meetings.totalCount})`,
    ),
  ).toBe(`(${meetings.totalCount})`);
  const channels = await page.locator('#meetings tbody tr td:nth-child(4)').allInnerTexts();
  expect(channels.length).toBe(Math.min(50, meetings.totalCount));
  expect(channels.every((text) => text.includes('Military'))).toBe(true);
  await page.locator('button[type="reset"]').click();
});

test('a write is shown without a reload, through the subscription', async () => {
  await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
  const revision = Number(await page.locator('body').getAttribute('data-revision'));
  const totalBefore = Number(await page.locator('#total-meetings').innerText());
  await graphql(
    'mutation ($input: MeetingInput!) { upsertMeeting(input: $input) { slug } }',
    {
      input: {
        slug: '2030-08-01-dashboard-live',
        title: 'Shown live on the dashboard',
        startDate: '2030-08-01',
        datePrecision: 'DAY',
        kind: 'MILITARY_TALKS',
        track: 'TRACK_1',
        mode: 'VIDEO',
        hosts: [],
        participants: [],
        channels: ['military'],
        outcomes: [{ channel: 'military', description: 'Agreed on the dashboard test.', status: 'AGREED' }],
        sources: [{ publisher: 'Fixture Gazette', title: 'Fixture report', url: 'https://example.org/fixture' }],
        uncertain: false,
      },
    },
    editorKey,
  );
  await page.locator(`body:not([data-revision="${revision}"])`).waitFor({ timeout: 10_000 });
  const expected = await outcomeLabels();
  expect(
    await eventually(
      () => labels('#outcomes-chart rect[aria-label]'),
      (drawn) => JSON.stringify(drawn) === JSON.stringify(expected),
    ),
  ).toEqual(expected);
  expect(Number(await page.locator('#total-meetings').innerText())).toBe(totalBefore + 1);
  expect(await page.locator('#meetings tbody tr').first().innerText()).toMatch(/Shown live on the dashboard/);
  expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  expect(await page.locator('#live').getAttribute('data-live')).toBe('true');
});

test('no console errors, no failed requests, nothing fetched from outside', async () => {
  expect(problems.errors).toEqual([]);
  expect(problems.failedRequests).toEqual([]);
  expect(blocked).toEqual([]);
});
