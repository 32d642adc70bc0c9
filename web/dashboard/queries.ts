/** The dashboard's operations: public reads, and the subscription that says when to read again. */

export const OVERVIEW = /* GraphQL */ `
  query DashboardOverview {
    meetingsTotal: stats(groupBy: []) { count }
    outcomesTotal: stats(measure: OUTCOMES, groupBy: []) { count }
    outcomesByChannel: stats(measure: OUTCOMES, groupBy: [CHANNEL, STATUS]) { channel { slug name } status count }
    perYear: stats(groupBy: [YEAR, TRACK]) { year track count }
    channels { slug name }
    timelines { channel { slug name } truncated events(limit: 200) { date status phase meeting { slug title } } }
  }
`;

export const MEETINGS = /* GraphQL */ `
  query DashboardMeetings($filter: MeetingFilter, $after: String) {
    meetings(filter: $filter, first: 50, after: $after, orderBy: [START_DATE_DESC]) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { slug title startDate track kind channels { slug name } sources { publisher title url publishedDate } } }
    }
  }
`;

export const DATA_CHANGED = /* GraphQL */ `
  subscription DashboardDataChanged { dataChanged { recordType slug action } }
`;

export type Status = 'AGREED' | 'PLANNED' | 'IMPLEMENTED' | 'DISCUSSED' | 'DECLINED' | 'SUSPENDED';
export type Track = 'TRACK_1' | 'TRACK_1_5' | 'TRACK_2';
export type Phase = 'ACTIVE' | 'SUSPENDED' | 'RESUMED';

export interface Overview {
  meetingsTotal: { count: number }[];
  outcomesTotal: { count: number }[];
  outcomesByChannel: { channel: { slug: string; name: string }; status: Status; count: number }[];
  perYear: { year: number; track: Track; count: number }[];
  channels: { slug: string; name: string }[];
  timelines: {
    channel: { slug: string; name: string };
    truncated: boolean;
    events: { date: string; status: Status; phase: Phase; meeting: { slug: string; title: string } }[];
  }[];
}

export interface MeetingNode {
  slug: string;
  title: string;
  startDate: string;
  track: Track;
  kind: string;
  channels: { slug: string; name: string }[];
  sources: { publisher: string; title: string | null; url: string | null; publishedDate: string | null }[];
}

export interface MeetingsPage {
  meetings: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: MeetingNode }[];
  };
}
