/**
 * The dashboard at /dashboard: the reference client of the public API. It reads everything it
 * shows with two queries, and subscribes to `dataChanged` to read again whenever a write commits
 * (whoever makes it), so it stays current without polling or reloading.
 *
 * `document.body.dataset.revision` counts completed renders, for tests to wait on.
 */
import './dashboard.css';
import { postGraphQL, subscriptionClient, type GraphQLResponse } from '../shared/api';
import { outcomesChart, timelinesChart, yearsChart } from './charts';
import { DATA_CHANGED, MEETINGS, OVERVIEW, type MeetingNode, type MeetingsPage, type Overview } from './queries';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('filters');
let revision = 0;
let after: string | null = null;
let rows: MeetingNode[] = [];

function check<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length || !response.data) throw new Error(response.errors?.map((e) => e.message).join('; ') ?? 'no data');
  return response.data;
}

function showError(error: unknown): void {
  const banner = $('error');
  banner.hidden = false;
  banner.textContent = `Could not load the data: ${(error as Error).message}. Retrying when the data next changes.`;
}

function currentFilter(): Record<string, unknown> {
  const data = new FormData(form);
  const filter: Record<string, unknown> = {};
  const channel = String(data.get('channel') ?? '');
  const track = String(data.get('track') ?? '');
  const from = String(data.get('from') ?? '').trim();
  const to = String(data.get('to') ?? '').trim();
  if (channel) filter.channels = [channel];
  if (track) filter.tracks = [track];
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(from)) filter.from = from;
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(to)) filter.to = to;
  return filter;
}

function renderOverview(overview: Overview): void {
  $('total-meetings').textContent = String(overview.meetingsTotal[0]?.count ?? 0);
  $('total-outcomes').textContent = String(overview.outcomesTotal[0]?.count ?? 0);
  outcomesChart($('outcomes-chart'), overview.outcomesByChannel);
  yearsChart($('years-chart'), overview.perYear);
  timelinesChart($('timelines-chart'), overview.timelines);
  const select = form.elements.namedItem('channel') as HTMLSelectElement;
  const chosen = select.value;
  select.replaceChildren(new Option('any', ''), ...overview.channels.map((c) => new Option(c.name, c.slug)));
  select.value = chosen;
}

function sourceCell(meeting: MeetingNode): HTMLElement {
  const list = document.createElement('ul');
  list.className = 'sources';
  for (const source of meeting.sources) {
    const item = document.createElement('li');
    const label = `${source.publisher}${source.title ? `: ${source.title}` : ''}${source.publishedDate ? ` (${source.publishedDate})` : ''}`;
    if (source.url && /^https?:\/\//.test(source.url)) {
      const link = document.createElement('a');
      link.href = source.url;
      link.rel = 'noopener noreferrer';
      link.target = '_blank';
      link.textContent = label;
      item.append(link);
    } else {
      item.textContent = label;
    }
    list.append(item);
  }
  const cell = document.createElement('td');
  cell.append(list);
  return cell;
}

function renderMeetings(total: number, hasMore: boolean): void {
  const body = $<HTMLTableElement>('meetings').tBodies[0];
  body.replaceChildren(
    ...rows.map((meeting) => {
      const row = document.createElement('tr');
      row.dataset.slug = meeting.slug;
      const cells = [
        meeting.startDate,
        meeting.title,
        meeting.track.replace('TRACK_', '').replace('_', '.'),
        meeting.channels.map((c) => c.name).join(', '),
      ];
      for (const text of cells) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.append(cell);
      }
      row.append(sourceCell(meeting));
      return row;
    }),
  );
  $('meeting-count').textContent = `(${total})`;
  $('more').hidden = !hasMore;
}

async function loadMeetings(reset: boolean): Promise<void> {
  // On a refresh, as many rows as were shown, so that "Show more" is not undone.
  const shown = reset ? 0 : rows.length;
  if (reset) after = null;
  const fresh: MeetingNode[] = [];
  let cursor: string | null = reset ? null : after;
  let page: MeetingsPage['meetings'];
  do {
    page = check(await postGraphQL<MeetingsPage>(MEETINGS, { filter: currentFilter(), after: cursor })).meetings;
    fresh.push(...page.edges.map((edge) => edge.node));
    cursor = page.pageInfo.endCursor;
  } while (!reset && fresh.length < shown && page.pageInfo.hasNextPage);
  rows = reset ? fresh : [...rows, ...fresh];
  after = cursor;
  renderMeetings(page.totalCount, page.pageInfo.hasNextPage);
}

async function refresh(): Promise<void> {
  try {
    const [overview] = await Promise.all([postGraphQL<Overview>(OVERVIEW).then(check), reloadShownMeetings()]);
    renderOverview(overview);
    $('error').hidden = true;
    $('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
    document.body.dataset.revision = String(++revision);
  } catch (error) {
    showError(error);
  }
}

/** The rows shown, read again: the first page, and as many more as had been opened. */
async function reloadShownMeetings(): Promise<void> {
  const shown = Math.max(rows.length, 1);
  rows = [];
  after = null;
  await loadMeetings(true);
  while (rows.length < shown && !$('more').hidden) await loadMeetings(false);
}

let pending: ReturnType<typeof setTimeout> | undefined;
/** Writes come in bursts (an import touches many records): read once the burst is over. */
function refreshSoon(): void {
  clearTimeout(pending);
  pending = setTimeout(() => void refresh(), 200);
}

function subscribe(): void {
  const live = $('live');
  const client = subscriptionClient(
    {},
    {
      connected: () => {
        live.dataset.live = 'true';
        live.textContent = 'live';
      },
      closed: () => {
        live.dataset.live = 'false';
        live.textContent = 'reconnecting…';
      },
    },
  );
  client.subscribe(
    { query: DATA_CHANGED },
    {
      next: () => refreshSoon(),
      error: (error) => showError(error instanceof Error ? error : new Error('the live connection failed')),
      complete: () => undefined,
    },
  );
}

form.addEventListener('change', () => void loadMeetings(true).catch(showError));
form.addEventListener('reset', () => setTimeout(() => void loadMeetings(true).catch(showError)));
form.addEventListener('submit', (event) => event.preventDefault());
$('more').addEventListener('click', () => void loadMeetings(false).catch(showError));

subscribe();
void refresh();
