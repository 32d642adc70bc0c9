/**
 * The dashboard's charts (Observable Plot, SVG). Each drawn value carries an aria-label stating
 * it ("Military — AGREED: 3"), for screen readers, and for the tests that check that what is
 * drawn is what the API's `stats` returns.
 */
import * as Plot from '@observablehq/plot';
import type { Overview, Phase, Status, Track } from './queries';

const STATUSES: Status[] = ['AGREED', 'PLANNED', 'IMPLEMENTED', 'DISCUSSED', 'DECLINED', 'SUSPENDED'];
const STATUS_COLORS = ['#2f7d4f', '#7aa6d8', '#1f4e8c', '#b8b8b8', '#d98a3d', '#b83a3a'];
const TRACKS: Track[] = ['TRACK_1', 'TRACK_1_5', 'TRACK_2'];
const TRACK_NAMES: Record<Track, string> = { TRACK_1: 'Track 1', TRACK_1_5: 'Track 1.5', TRACK_2: 'Track 2' };
const PHASES: Phase[] = ['ACTIVE', 'SUSPENDED', 'RESUMED'];
const PHASE_COLORS = ['#2f7d4f', '#b83a3a', '#1f4e8c'];

const width = (figure: HTMLElement) => Math.max(320, Math.min(figure.clientWidth || 640, 1100));

function replace(figure: HTMLElement, chart: Element): void {
  figure.replaceChildren(chart);
}

/** Stacked bars: one per channel, a segment per status, the channel's total at its end. */
export function outcomesChart(figure: HTMLElement, buckets: Overview['outcomesByChannel']): void {
  const rows = buckets.map((b) => ({ channel: b.channel.name, slug: b.channel.slug, status: b.status, count: b.count }));
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.channel, (totals.get(row.channel) ?? 0) + row.count);
  const order = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([channel]) => channel);
  replace(
    figure,
    Plot.plot({
      width: width(figure),
      height: Math.max(160, order.length * 26 + 60),
      marginLeft: 190,
      // Room for the totals written past the longest bar.
      marginRight: 40,
      x: { label: 'outcomes', grid: true },
      y: { label: null, domain: order },
      color: { legend: true, domain: STATUSES, range: STATUS_COLORS },
      marks: [
        Plot.barX(rows, {
          x: 'count',
          y: 'channel',
          fill: 'status',
          order: STATUSES,
          title: (d) => `${d.channel} — ${d.status}: ${d.count}`,
          ariaLabel: (d) => `${d.channel} — ${d.status}: ${d.count}`,
        }),
        Plot.text(
          order.map((channel) => ({ channel, total: totals.get(channel)! })),
          {
            x: 'total',
            y: 'channel',
            text: (d) => String(d.total),
            dx: 6,
            textAnchor: 'start',
            ariaLabel: (d) => `${d.channel} total: ${d.total}`,
          },
        ),
        Plot.ruleX([0]),
      ],
    }),
  );
}

/** A line per track: meetings per year. */
export function yearsChart(figure: HTMLElement, buckets: Overview['perYear']): void {
  const rows = buckets
    .filter((b) => b.year !== null)
    .map((b) => ({ year: b.year, track: TRACK_NAMES[b.track] ?? b.track, count: b.count }));
  replace(
    figure,
    Plot.plot({
      width: width(figure),
      height: 260,
      x: { label: 'year', tickFormat: 'd', interval: 1 },
      y: { label: 'meetings', grid: true, zero: true },
      color: { legend: true, domain: TRACKS.map((t) => TRACK_NAMES[t]) },
      marks: [
        Plot.lineY(rows, { x: 'year', y: 'count', stroke: 'track', marker: 'circle' }),
        Plot.dot(rows, {
          x: 'year',
          y: 'count',
          fill: 'track',
          r: 3,
          title: (d) => `${d.track}, ${d.year}: ${d.count}`,
          ariaLabel: (d) => `${d.track}, ${d.year}: ${d.count}`,
        }),
      ],
    }),
  );
}

/** "2023-11" or "2023-11-15" as a date (a month stands for its first day). */
function day(date: string): Date {
  const [y, m = '01', d = '01'] = date.split('-');
  return new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
}

/** Per channel, its phases as spans from one event to the next (the last to today), and the events as dots. */
export function timelinesChart(figure: HTMLElement, timelines: Overview['timelines']): void {
  const withEvents = timelines.filter((t) => t.events.length > 0);
  const spans = withEvents.flatMap((t) =>
    t.events.map((event, index) => ({
      channel: t.channel.name,
      phase: event.phase,
      from: day(event.date),
      to: index + 1 < t.events.length ? day(t.events[index + 1].date) : new Date(),
    })),
  );
  const dots = withEvents.flatMap((t) =>
    t.events.map((event) => ({
      channel: t.channel.name,
      date: day(event.date),
      label: `${t.channel.name}, ${event.date}: ${event.status} at ${event.meeting.title} (${event.phase})`,
      phase: event.phase,
    })),
  );
  replace(
    figure,
    Plot.plot({
      width: width(figure),
      height: Math.max(140, withEvents.length * 28 + 60),
      marginLeft: 190,
      x: { type: 'utc', label: null, grid: true },
      y: { label: null, domain: withEvents.map((t) => t.channel.name) },
      color: { legend: true, domain: PHASES, range: PHASE_COLORS },
      marks: [
        Plot.barX(spans, { x1: 'from', x2: 'to', y: 'channel', fill: 'phase', fillOpacity: 0.35 }),
        Plot.dot(dots, { x: 'date', y: 'channel', fill: 'phase', r: 3.5, stroke: 'white', title: 'label', ariaLabel: 'label' }),
      ],
    }),
  );
}
