/** Sources in SQL, for the read planner. */
import { sql } from '../../db/sql';
import { listOf, scalar } from '../../planner/fields';
import type { TypeShape } from '../../planner/planner';

export const sourceShapes: TypeShape[] = [
  {
    type: 'Source',
    fields: {
      publisher: scalar('publisher'),
      title: scalar('title'),
      url: scalar('url'),
      publishedDate: scalar('published_date'),
      note: scalar('note'),
    },
  },
  {
    type: 'Meeting',
    fields: {
      sources: listOf(
        'Source',
        's',
        (s, { row }) => sql`FROM source ${s} WHERE ${s}.meeting_id = ${row}.id`,
        (s) => sql`${s}.position`,
      ),
    },
  },
];
