/**
 * A dashboard on another origin, in a real browser (headless Chromium, with web security on):
 * with its origin in CORS_ORIGINS it reads, writes with a key and subscribes; with its origin
 * not there, the browser refuses, and the write never reaches the server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { ChangeFeed } from '../src/db/change-feed';
import { createLogger } from '../src/common/logger';
import { createApiKey } from '../src/modules/auth/api-key.service';
import { launchBrowser, watchPage } from './helpers/browser';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startHttpApp, type HttpApp } from './helpers/http-app';

let db: TestDatabase;
let feed: ChangeFeed;
let api: HttpApp;
let pages: http.Server;
let browser: Browser;
let editorKey: string;
/** The dashboard's origin, allowed; the same server under another name is another origin, not allowed. */
let allowedOrigin: string;
let otherOrigin: string;

beforeAll(async () => {
  db = await createTestDatabase();
  editorKey = (await createApiKey(db.prisma, 'dashboard editor', 'EDITOR')).key;
  // The "dashboard": an empty page on an origin of its own; the tests run its scripts.
  pages = http.createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>dashboard</title>'),
  );
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  const port = (pages.address() as AddressInfo).port;
  allowedOrigin = `http://127.0.0.1:${port}`;
  otherOrigin = `http://localhost:${port}`;
  feed = new ChangeFeed(db.url, createLogger('silent'));
  await feed.start();
  api = await startHttpApp({ prisma: db.prisma, databaseUrl: db.url, changeFeed: feed, config: { corsOrigins: [allowedOrigin] } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
  await feed?.stop();
  await new Promise((resolve) => pages?.close(resolve));
  await db?.drop();
});

async function pageOn(origin: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  return page;
}

/** fetch() from the page: the browser applies CORS (preflight for JSON and Authorization). */
function fetchFrom(page: Page, body: object, headers: Record<string, string> = {}) {
  return page.evaluate(
    async ({ url, body, headers }) => {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        });
        return { status: response.status, body: await response.json() };
      } catch (error) {
        return { refused: String(error) };
      }
    },
    { url: api.url, body, headers },
  );
}

/** A WebSocket from the page to the API; resolves with whether it opened. */
function websocketFrom(page: Page) {
  return page.evaluate(
    (url) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(url, 'graphql-transport-ws');
        socket.onopen = () => {
          socket.close();
          resolve('open');
        };
        socket.onerror = () => resolve('refused');
      }),
    api.url.replace(/^http/, 'ws'),
  );
}

const createMeeting = (slug: string) => ({
  query: `mutation ($input: MeetingInput!) { upsertMeeting(input: $input) { slug } }`,
  variables: {
    input: {
      slug,
      title: 'Written from a dashboard on another origin',
      startDate: '2030-07-01',
      datePrecision: 'DAY',
      kind: 'MILITARY_TALKS',
      track: 'TRACK_1',
      mode: 'PHONE',
      hosts: [],
      participants: [],
      channels: ['military'],
      outcomes: [],
      sources: [{ publisher: 'Fixture Gazette', title: 'Fixture report', url: 'https://example.org/fixture' }],
      uncertain: false,
    },
  },
});

test('an allowed origin reads, writes with an API key (after a preflight) and subscribes', async () => {
  const page = await pageOn(allowedOrigin);
  const problems = watchPage(page);
  const read = await fetchFrom(page, { query: '{ channel(slug: "military") { name } }' });
  expect(read).toEqual({ status: 200, body: expect.objectContaining({ data: { channel: { name: 'Military' } } }) });
  const write = await fetchFrom(page, createMeeting('2030-07-01-cors-allowed'), { authorization: `Bearer ${editorKey}` });
  expect(write).toEqual({ status: 200, body: expect.objectContaining({ data: { upsertMeeting: { slug: '2030-07-01-cors-allowed' } } }) });
  expect(await websocketFrom(page)).toBe('open');
  expect(problems.errors).toEqual([]);
  await page.close();
});

test('an origin not allowed is refused by the browser, and its write never runs', async () => {
  const page = await pageOn(otherOrigin);
  const read = await fetchFrom(page, { query: '{ channel(slug: "military") { name } }' });
  expect(read).toEqual({ refused: expect.stringMatching(/Failed to fetch/) });
  const write = await fetchFrom(page, createMeeting('2030-07-02-cors-refused'), { authorization: `Bearer ${editorKey}` });
  expect(write).toEqual({ refused: expect.stringMatching(/Failed to fetch/) });
  // The preflight failed, so the POST was never sent.
  expect(await db.prisma.meeting.findUnique({ where: { slug: '2030-07-02-cors-refused' } })).toBeNull();
  expect(await websocketFrom(page)).toBe('refused');
  await page.close();
});

describe('over HTTP', () => {
  test('a preflight from an allowed origin succeeds and allows the key and the GraphQL content types', async () => {
    const response = await fetch(api.url, {
      method: 'OPTIONS',
      headers: {
        origin: allowedOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/content-type/);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  test('no CORS headers for an origin not allowed', async () => {
    const response = await fetch(api.url, { method: 'OPTIONS', headers: { origin: otherOrigin, 'access-control-request-method': 'POST' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('CSRF prevention still refuses a simple (preflight-free) POST, whatever its origin', async () => {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { origin: allowedOrigin, 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ channels { slug } }' }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
  });

  test('the default (CORS_ORIGINS unset) lets any origin read, without credentials', async () => {
    const open = await startHttpApp({ prisma: db.prisma });
    try {
      const response = await fetch(open.url, {
        method: 'OPTIONS',
        headers: { origin: 'https://dash.example.org', 'access-control-request-method': 'POST' },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    } finally {
      await open.stop();
    }
  });
});
