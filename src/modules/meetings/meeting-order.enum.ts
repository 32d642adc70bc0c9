import { registerEnumType } from 'type-graphql';

export enum MeetingOrder {
  START_DATE_DESC = 'START_DATE_DESC',
  START_DATE_ASC = 'START_DATE_ASC',
  TITLE_ASC = 'TITLE_ASC',
  TITLE_DESC = 'TITLE_DESC',
}

registerEnumType(MeetingOrder, {
  name: 'MeetingOrder',
  description:
    'Sort order for meetings. Several may be given, the first deciding first; ties are always broken by the ' +
    'record id, so paging is stable. Default: START_DATE_DESC (newest first).',
  valuesConfig: {
    START_DATE_DESC: { description: 'Newest first (a MONTH-precision meeting sorts as the 1st of its month).' },
    START_DATE_ASC: { description: 'Oldest first.' },
    TITLE_ASC: { description: 'By title, A to Z.' },
    TITLE_DESC: { description: 'By title, Z to A.' },
  },
});

export const ORDER_KEYS: Record<MeetingOrder, { field: 'startDate' | 'title'; desc: boolean }> = {
  START_DATE_DESC: { field: 'startDate', desc: true },
  START_DATE_ASC: { field: 'startDate', desc: false },
  TITLE_ASC: { field: 'title', desc: false },
  TITLE_DESC: { field: 'title', desc: true },
};
